/**
 * Keys (DTMF) in a call, one digit at a time: sent as RFC 4733
 * telephone-events in the RTP stream or as SIP INFO with
 * application/dtmf-relay; received as SIP INFO (the bot listens for them).
 * Received RFC 4733 events never reach JavaScript: WebRTC plays them out.
 */
import { SessionState, type Info } from 'sip.js';
import { phoneError } from '../phone/phone-log-text';
import type { DtmfMethod, PhoneStore } from '../phone/phone-store';
import type { CallLines, Line } from './call-lines';
import { mediaOf } from './call-media';

/** RFC 4733 tone length and gap; SIP INFO announces the same duration. */
export const DTMF_DURATION_MS = 160;
const DTMF_GAP_MS = 70;
const DTMF_TONE = /^[0-9A-D*#]$/;

/**
 * The key in a received SIP INFO: application/dtmf-relay ("Signal=5") or
 * application/dtmf ("5"); undefined for anything else or garbage.
 */
export function parseDtmfInfo(contentType: string, body: string): string | undefined {
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  let tone: string | undefined;
  if (type === 'application/dtmf-relay') {
    tone = /^\s*signal\s*=\s*(\S+)\s*$/im.exec(body)?.[1];
  } else if (type === 'application/dtmf') {
    tone = body.trim();
  }
  if (tone === '10') tone = '*';
  if (tone === '11') tone = '#';
  tone = tone?.toUpperCase();
  return tone && DTMF_TONE.test(tone) ? tone : undefined;
}

/** The SIP INFO body for one DTMF digit (application/dtmf-relay). */
export function dtmfRelayBody(tone: string, durationMs = DTMF_DURATION_MS): string {
  return `Signal=${tone}\r\nDuration=${durationMs}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DtmfKeys {
  /** Digits go out one after another, never overlapping. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PhoneStore,
    private readonly lines: CallLines,
    /** A key the other side pressed, sent as SIP INFO. */
    private readonly onReceived?: (callId: string, tone: string) => void,
  ) {}

  /** Sends digits in the foreground call; resolves when the last one is out (INFO: answered 2xx). */
  send(tones: string, method: DtmfMethod = this.store.getState().dtmfMethod): Promise<void> {
    const digits = [...tones.toUpperCase()];
    if (digits.length === 0 || !digits.every((d) => DTMF_TONE.test(d)))
      return Promise.reject(phoneError({ code: 'invalid-dtmf', tones }));
    const line = this.lines.foreground();
    if (!line || line.session.state !== SessionState.Established)
      return Promise.reject(phoneError({ code: 'no-connected-call' }));
    const run = async () => {
      for (const tone of digits) {
        if (!this.lines.has(line) || line.session.state !== SessionState.Established)
          throw phoneError({ code: 'call-ended' });
        if (method === 'rfc4733') await this.sendEvent(line, tone);
        else {
          await this.sendInfo(line, tone);
          this.store.getState().addDtmf(tone, line.id);
        }
      }
    };
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Keys from the other side as SIP INFO; other INFO packages are refused (415). */
  received(line: Line, info: Info): void {
    const message = info.request;
    const tone = parseDtmfInfo(
      message.getHeader('Content-Type') ?? '',
      typeof message.body === 'string' ? message.body : '',
    );
    if (!tone) {
      void info.reject({ statusCode: 415, reasonPhrase: 'Unsupported Media Type' });
      return;
    }
    void info.accept().catch(() => undefined);
    if (this.lines.has(line)) this.onReceived?.(line.id, tone);
  }

  private async sendEvent(line: Line, tone: string): Promise<void> {
    const sent = mediaOf(line.session)?.sendDtmf(tone, {
      duration: DTMF_DURATION_MS,
      interToneGap: DTMF_GAP_MS,
    });
    if (!sent) throw phoneError({ code: 'dtmf-unavailable' });
    this.store.getState().addDtmf(tone, line.id);
    // insertDTMF replaces what is still queued: wait until this tone is out.
    await sleep(DTMF_DURATION_MS + DTMF_GAP_MS + 10);
  }

  private sendInfo(line: Line, tone: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      line.session
        .info({
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) =>
              reject(
                phoneError({
                  code: 'dtmf-refused',
                  status: {
                    statusCode: response.message.statusCode ?? 0,
                    reasonPhrase: response.message.reasonPhrase ?? '',
                  },
                }),
              ),
          },
          requestOptions: {
            body: {
              contentDisposition: 'render',
              contentType: 'application/dtmf-relay',
              content: dtmfRelayBody(tone),
            },
          },
        })
        .catch(reject);
    });
  }
}
