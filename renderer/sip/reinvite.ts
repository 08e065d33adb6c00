/**
 * A re-INVITE of an established call (RFC 3261 14): hold and resume set
 * the media direction (sip.js's `hold` option: sendonly / inactive, RFC
 * 3264 8.4); after a lost server connection it also restarts ICE (new
 * ufrag / pwd, fresh candidates, RFC 8445 9) so the dialog is confirmed
 * over the new connection and the media path renegotiated.
 */
import type { Session, Web } from 'sip.js';

/** No final answer within this time counts as none (statusCode 0). */
export const REINVITE_TIMEOUT_MS = 10_000;

/** A re-INVITE that failed; statusCode 0 when no final answer came (timeout, not sent). */
export class ReinviteError extends Error {
  override name = 'ReinviteError';
  constructor(
    message: string,
    readonly statusCode: number,
    readonly reasonPhrase = '',
  ) {
    super(message);
  }
}

export function reinvite(
  session: Session,
  hold: boolean,
  { iceRestart = false }: { iceRestart?: boolean } = {},
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new ReinviteError('no answer to re-INVITE', 0)),
      REINVITE_TIMEOUT_MS,
    );
    const done = (error?: Error) => {
      clearTimeout(timer);
      // Later re-INVITEs (hold, or answering one from the other side) need no restart.
      if (iceRestart) {
        const plain: Web.SessionDescriptionHandlerOptions = { hold };
        session.sessionDescriptionHandlerOptionsReInvite = plain;
      }
      if (error) reject(error);
      else resolve();
    };
    // sip.js 0.21: the options for the next re-INVITE's offer; Web's handler
    // turns `hold` into the direction and passes offerOptions to createOffer
    // (then waits for the new gathering).
    const options: Web.SessionDescriptionHandlerOptions = iceRestart
      ? { hold, offerOptions: { iceRestart: true } }
      : { hold };
    session.sessionDescriptionHandlerOptionsReInvite = options;
    session
      .invite({
        requestDelegate: {
          onAccept: () => done(),
          onReject: (response) =>
            done(
              new ReinviteError(
                `${response.message.statusCode} ${response.message.reasonPhrase ?? ''}`.trim(),
                response.message.statusCode ?? 0,
                response.message.reasonPhrase ?? '',
              ),
            ),
        },
      })
      .catch((error: Error) => done(new ReinviteError(error.message, 0)));
  });
}
