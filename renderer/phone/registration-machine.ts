/**
 * Registration state machine of the softphone.
 *
 *                 register                 accepted
 *   unregistered ─────────▶ registering ─────────────▶ registered ──┐ accepted
 *        ▲   ▲                 │  ▲  ▲                     │  ▲     │ (refresh)
 *        │   │     rejected /  │  │  └──── retry ───┐      │  └─────┘
 *        │   │   transport-err │  │                 │      │ rejected / transport-lost
 *        │   │                 ▼  │ register        │      ▼
 *        │   └── unregister ── failed ◀─────────────┴──────┘
 *        └──────────── unregister (from any state)
 *
 * `transition` is pure and throws on an illegal move, so a bug in the SIP
 * adapter shows up as an error instead of a UI that claims "registered" while
 * a REGISTER is still in flight. Being in `registering` *is* the "REGISTER in
 * flight" flag: a second register is illegal there.
 */
import type { RegistrationState } from '../../electron/contract';

export type { RegistrationState };

/** Why registration failed, as far as the UI and the retry policy care. */
export type FailureCause =
  | { kind: 'unreachable'; detail: string }
  | { kind: 'connection-lost'; detail: string }
  | { kind: 'rejected'; statusCode: number; reasonPhrase: string }
  | { kind: 'timeout' }
  | { kind: 'configuration'; detail: string };

export type RegistrationEvent =
  | { type: 'register' }
  | { type: 'retry' }
  | { type: 'accepted'; expiresSec: number }
  | { type: 'failed'; cause: FailureCause }
  | { type: 'unregister' };

export class IllegalTransitionError extends Error {
  override name = 'IllegalTransitionError';
  constructor(from: RegistrationState, event: RegistrationEvent['type']) {
    super(`registration: "${event}" is not allowed in state "${from}"`);
  }
}

const TABLE: Record<
  RegistrationState,
  Partial<Record<RegistrationEvent['type'], RegistrationState>>
> = {
  unregistered: { register: 'registering', unregister: 'unregistered' },
  registering: { accepted: 'registered', failed: 'failed', unregister: 'unregistered' },
  registered: { accepted: 'registered', failed: 'failed', unregister: 'unregistered' },
  failed: {
    register: 'registering',
    retry: 'registering',
    unregister: 'unregistered',
    failed: 'failed',
  },
};

export function transition(from: RegistrationState, event: RegistrationEvent): RegistrationState {
  const to = TABLE[from][event.type];
  if (!to) throw new IllegalTransitionError(from, event.type);
  return to;
}

export function canTransition(from: RegistrationState, type: RegistrationEvent['type']): boolean {
  return TABLE[from][type] !== undefined;
}

/**
 * Should the phone try again by itself? Network trouble and server errors:
 * yes. A registrar that says "forbidden" or "not found" will say it again:
 * hammering it helps nobody, the agent must fix the settings.
 */
export function isRetryable(cause: FailureCause): boolean {
  switch (cause.kind) {
    case 'unreachable':
    case 'connection-lost':
    case 'timeout':
      return true;
    case 'configuration':
      return false;
    case 'rejected':
      return cause.statusCode === 408 || cause.statusCode === 480 || cause.statusCode >= 500;
  }
}
