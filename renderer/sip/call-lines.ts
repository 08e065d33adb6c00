/**
 * The calls the adapter holds ("lines"): each one's sip.js session, its
 * lifecycle state (line-state.ts) and what belongs to it beyond the phone
 * store (the consultation call of an attended transfer, the call a followed
 * REFER came from, a transfer's timer). The store keeps what the screen
 * shows; lookups here read it (which call is in the foreground, which one
 * knocks). Whether a call waits for the server is the line's state alone:
 * the store's `reconnecting` only mirrors it, written on each change.
 */
import { Inviter, type Invitation, type Session } from 'sip.js';
import { clampText, REMOTE_MAX_LENGTH } from '../../electron/contract';
import { isLive } from '../phone/call-machine';
import { phoneCallId } from '../phone/call-id';
import type { CallEndReason } from '../phone/phone-reasons';
import type { CallInfo, PhoneStore } from '../phone/phone-store';
import { awaitingServer, lineTransition, type LineEvent, type LineState } from './line-state';

export class Line {
  private current: LineState = 'offered';
  /**
   * The reason to give when the session ends: set when we end it
   * ourselves, or when we know better than "hung up" (replaced, transferred).
   */
  endReason?: CallEndReason;
  /** Removes the listeners this call put on media objects (at its end). */
  readonly listeners = new AbortController();
  /** The consultation call of an attended transfer of this call. */
  consult?: Line;
  /** Placed to follow a REFER received in that call: ends it once connected. */
  referredFrom?: Line;
  transferTimer?: ReturnType<typeof setTimeout>;
  /** Who took the call, for the call history: the bot only when it answered first (bot first). */
  handledBy: 'bot' | 'person' = 'person';

  constructor(
    readonly id: string,
    readonly session: Session,
    private readonly changed: (line: Line, before: LineState) => void,
  ) {}

  get state(): LineState {
    return this.current;
  }

  /** Moves the lifecycle on; an illegal move throws (IllegalLineTransitionError). */
  move(event: LineEvent): void {
    const before = this.current;
    this.current = lineTransition(before, event);
    this.changed(this, before);
  }

  /** We end this call ourselves, for `reason`: the session's end that follows is ours. */
  endLocally(reason: CallEndReason): void {
    this.endReason = reason;
    this.move('end-locally');
  }
}

/**
 * The call's id: its SIP Call-ID, the same one the engine, the logs and the
 * other side see, unless the contract cannot take it – then the stable
 * short id renderer/phone/call-id.ts maps it to. Every other part of the
 * renderer names the call by this id.
 */
export function callIdOf(session: Session): string {
  return phoneCallId(
    session instanceof Inviter ? session.request.callId : (session as Invitation).request.callId,
  );
}

/**
 * What the store is told about a new call: its id, direction and the other
 * party – the far end's user part and display name cut to the contract's
 * limit, as everything downstream (reports, history, screen) takes them.
 */
export function callDetails(session: Session, direction: 'incoming' | 'outgoing', remote: string) {
  const remoteName = session.remoteIdentity.displayName;
  return {
    id: callIdOf(session),
    direction,
    remote: clampText(remote, REMOTE_MAX_LENGTH),
    ...(remoteName ? { remoteName: clampText(remoteName, REMOTE_MAX_LENGTH) } : {}),
  };
}

export class CallLines {
  private readonly lines = new Map<string, Line>();

  constructor(private readonly store: PhoneStore) {}

  /** A new line for this session (offered). */
  add(session: Session): Line {
    const line = new Line(callIdOf(session), session, (changed, before) => {
      const waiting = awaitingServer(changed.state);
      if (changed.state !== 'ended' && waiting !== awaitingServer(before))
        this.store.getState().updateCall(changed.id, { reconnecting: waiting });
    });
    this.lines.set(line.id, line);
    return line;
  }

  /** Forgets the line (at its end); false if it was gone already. */
  remove(line: Line): boolean {
    if (this.lines.get(line.id) !== line) return false;
    this.lines.delete(line.id);
    return true;
  }

  /** The line is still held (not ended and forgotten). */
  has(line: Line | undefined): line is Line {
    return line !== undefined && this.lines.get(line.id) === line;
  }

  get(id: string): Line | undefined {
    return this.lines.get(id);
  }

  all(): Line[] {
    return [...this.lines.values()];
  }

  /** What the store shows for this line. */
  info(line: Line): CallInfo | undefined {
    return this.store.getState().lines.find((l) => l.id === line.id);
  }

  /** The agent's calls that are ringing, dialing or connected (held or not); not the bot's lines. */
  live(): Line[] {
    return this.all().filter((line) => {
      const info = this.info(line);
      return isLive(info?.state ?? 'idle') && !info?.botLine;
    });
  }

  /** The bot's lines still live. */
  botLines(): Line[] {
    return this.all().filter((line) => {
      const info = this.info(line);
      return isLive(info?.state ?? 'idle') && info?.botLine === true;
    });
  }

  /** The foreground call, if it still has a session. */
  foreground(): Line | undefined {
    const id = this.store.getState().activeId;
    return id === undefined ? undefined : this.lines.get(id);
  }

  /** Call `id`, or the foreground call. */
  lineFor(id?: string): Line | undefined {
    return id === undefined ? this.foreground() : this.lines.get(id);
  }

  ringingForeground(): Line | undefined {
    const line = this.foreground();
    return line && this.info(line)?.state === 'ringing' ? line : undefined;
  }

  /** The oldest call that knocks. */
  waiting(): Line | undefined {
    return this.all().find((line) => {
      const info = this.info(line);
      return info?.state === 'ringing' && info.waiting === true;
    });
  }

  /** The consultation call and the call it is for, whichever is in the foreground. */
  consultPair(): { original: Line; consult: Line } | undefined {
    for (const original of this.lines.values()) {
      const consult = original.consult;
      if (consult && this.has(consult)) return { original, consult };
    }
    return undefined;
  }
}
