/**
 * On a failed test, attach the test bed's logs (Kamailio, rtpengine, baresip,
 * the engine) to the report: the reason a call failed is usually in one of
 * them, and the processes are gone when someone looks.
 */
import { test } from '@playwright/test';

export async function attachLogsOnFailure(
  logs: Record<string, () => string | undefined>,
): Promise<void> {
  const info = test.info();
  if (info.status === info.expectedStatus) return;
  for (const [name, read] of Object.entries(logs)) {
    const body = read();
    if (body) await info.attach(name, { body, contentType: 'text/plain' });
  }
}
