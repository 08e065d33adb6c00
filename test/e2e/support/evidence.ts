/**
 * What a failed test leaves behind: the logs of every part of the test bed it
 * used (Kamailio, rtpengine, baresip, SIPp, the engine, the test callers'
 * consoles, the transcript). The reason a call failed is usually in one of
 * them, and the processes are gone when someone looks.
 *
 * Each fixture adds its source when it starts, so a spec attaches exactly
 * the logs of what it started, and nobody has to list them per spec.
 */
import type { TestInfo } from '@playwright/test';

/** Reads one log now; undefined or '' when there is nothing to attach. */
export type EvidenceSource = () => string | undefined | Promise<string | undefined>;

export class Evidence {
  private readonly sources = new Map<string, EvidenceSource>();
  private readonly testSources = new Map<string, EvidenceSource>();

  /** A log for every test from now on (a server's log, an engine's output). */
  add(name: string, read: EvidenceSource): void {
    this.sources.set(name, read);
  }

  /** A log for the running test only (a SIPp run it started). */
  addForTest(name: string, read: EvidenceSource): void {
    this.testSources.set(name, read);
  }

  /** Attaches every log to a failed test's report; forgets the test's own logs either way. */
  async attachIfFailed(info: TestInfo): Promise<void> {
    const sources = [...this.sources, ...this.testSources];
    this.testSources.clear();
    if (info.status === info.expectedStatus) return;
    for (const [name, read] of sources) {
      let body: string | undefined;
      try {
        body = await read();
      } catch (error) {
        body = `(could not read ${name}: ${(error as Error).message})`;
      }
      if (body) await info.attach(name, { body, contentType: 'text/plain' });
    }
  }
}
