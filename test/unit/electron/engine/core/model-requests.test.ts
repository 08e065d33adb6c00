/** Model downloads as the screen sees them: one per model at a time, progress and failure as events. */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../../../electron/contract';
import { ModelRequests } from '../../../../../electron/engine/core/model-requests';
import { Logger } from '../../../../../electron/engine/log/logger';
import { ModelError } from '../../../../../electron/engine/models/model-error';
import type { ModelManager } from '../../../../../electron/engine/models/model-manager';

function setup(download: ModelManager['download'] | undefined) {
  const events: EngineEvent[] = [];
  const lines: string[] = [];
  const logger = new Logger({ stderr: false });
  logger.addSink((entry) => lines.push(`${entry.level} ${entry.message}`));
  const requests = new ModelRequests({
    ...(download ? { models: { download } as unknown as ModelManager } : {}),
    log: logger.scope('engine'),
    broadcast: (event) => events.push(event),
  });
  return { events, lines, requests };
}

describe('ModelRequests', () => {
  it('runs one download per model and announces it installed', async () => {
    let finish!: () => void;
    const { events, lines, requests } = setup(
      () =>
        new Promise((resolve) => {
          finish = () =>
            resolve({ id: 'm', sizeBytes: 10, active: true } as Awaited<
              ReturnType<ModelManager['download']>
            >);
        }),
    );
    expect(requests.download('m')).toEqual({ started: true });
    expect(requests.download('m')).toEqual({ started: false });
    finish();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events.map((e) => e.data)).toEqual([
      { id: 'm', state: 'downloading', receivedBytes: 0, totalBytes: null },
      { id: 'm', state: 'installed', receivedBytes: 10, totalBytes: 10 },
    ]);
    expect(lines).toEqual(['info model m installed and active']);
    // Done: the model may be downloaded again.
    expect(requests.download('m')).toEqual({ started: true });
  });

  it('announces a failed download with the model error’s reason', async () => {
    const { events, lines, requests } = setup(() =>
      Promise.reject(new ModelError('checksum', 'checksum mismatch')),
    );
    requests.download('m');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events.at(-1)?.data).toEqual({
      id: 'm',
      state: 'failed',
      receivedBytes: 0,
      totalBytes: null,
      message: 'checksum mismatch',
      reason: 'checksum',
    });
    expect(lines).toEqual(['error model download m failed: checksum mismatch']);
  });

  it('answers unavailable without a model manager', async () => {
    const { requests } = setup(undefined);
    expect(() => requests.download('m')).toThrow(expect.objectContaining({ code: 'unavailable' }));
    await expect(requests.list()).rejects.toMatchObject({ code: 'unavailable' });
  });
});
