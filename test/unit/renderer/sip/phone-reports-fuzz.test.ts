/**
 * Property-based (fast-check): random remote SIP fields through the phone's
 * reporting. Callers with any display name, user part and Call-ID the SIP
 * grammar allows (lengths 0–1000, unicode, quotes and backslashes escaped
 * in the quoted display name, folded lines with CRLF + space) ring the
 * phone and end in every way; outgoing calls are refused with any reason
 * phrase. Every report that reaches the engine's schema (the fake engine
 * checks it like the engine) parses, or its refusal is in the desk's log;
 * every call the phone took on ends with an 'ended' report the engine
 * accepted, under an id the contract takes – else a bot would talk on.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CALL_ID_MAX_LENGTH } from '../../../../electron/contract';
import type { FakeCall } from '../../../fakes/fake-sip-server';
import { flush, phoneHarness, settle, until, type PhoneHarness } from './phone-harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A length from 0 to 1000, often near the limits that matter (200, 256, 300, 500). */
const length = (min = 0) =>
  fc.oneof(
    fc.integer({ min, max: 20 }),
    fc.integer({ min: 180, max: 320 }),
    fc.integer({ min: 480, max: 520 }),
    fc.integer({ min: Math.max(min, 0), max: 1000 }),
  );

/** A string of exactly `n` units from `unit`. */
const exactly = (unit: fc.Arbitrary<string>, n: number) =>
  fc.string({ unit, minLength: n, maxLength: n });

/** RFC 3261 25.1 `word`: what a Call-ID is made of (callid = word ["@" word]). */
const WORD = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'-.!%*_+`\'~()<>:\\/"[]?{}',
];
const callIdArb = fc.oneof(
  length(0).chain((n) => exactly(fc.constantFrom(...WORD), n)),
  fc
    .tuple(length(1), length(1))
    .chain(([a, b]) =>
      fc
        .tuple(exactly(fc.constantFrom(...WORD), a), exactly(fc.constantFrom(...WORD), b))
        .map(([left, right]) => `${left}@${right}`.slice(0, 1000)),
    ),
  // Outside the grammar: a lenient far end sends unicode (the parser decides).
  length(1).chain((n) => fc.string({ unit: 'grapheme', minLength: 1, maxLength: n })),
);

/** A quoted display name's text (escaped by the fake): any text, quotes, folded lines. */
const displayNameArb = length(0).chain((n) =>
  exactly(
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
      fc.constantFrom('"', '\\', ' ', '\t', '\r\n ', 'Ä', 'ß', '😀', "'", '<', '>'),
    ),
    n,
  ),
);

/** A user part (RFC 3261 25.1 user): unreserved, user-unreserved and escaped characters. */
const userArb = length(1).chain((n) =>
  exactly(
    fc.oneof(
      fc.constantFrom(..."abcxyzABCXYZ0123456789-_.!~*'()&=+$,;?/"),
      fc.constantFrom('%C3%A4', '%F0%9F%98%80', '%20', '%22'),
    ),
    n,
  ),
);

/**
 * A reason phrase (RFC 3261 25.1 Reason-Phrase: reserved, unreserved,
 * escaped, non-ASCII UTF-8, spaces and tabs), now and then with a character
 * outside the grammar: sip.js then drops the response and the call fails
 * on its own timer (Timer B) – it must be reported ended all the same.
 */
const grammaticalPhraseArb = length(1).chain((n) =>
  exactly(
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...";/?:@&=+$,-_.!~*'()azAZ09 \t") },
      {
        weight: 1,
        arbitrary: fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 1 })
          .filter((g) => [...g].every((c) => c.codePointAt(0)! > 0x7f)),
      },
    ),
    n,
  ),
);
const reasonPhraseArb = fc.oneof(
  { weight: 9, arbitrary: grammaticalPhraseArb },
  {
    weight: 1,
    arbitrary: fc
      .tuple(grammaticalPhraseArb, fc.constantFrom('[', '"', '<', '{'))
      .map(([phrase, bad]) => `${phrase}${bad}`),
  },
);

type Ending = 'agent-hangs-up' | 'agent-declines' | 'caller-cancels' | 'caller-hangs-up';

const incomingArb = fc.record({
  kind: fc.constant('incoming' as const),
  callId: callIdArb,
  displayName: fc.option(displayNameArb, { nil: undefined }),
  user: userArb,
  ending: fc.constantFrom<Ending>(
    'agent-hangs-up',
    'agent-declines',
    'caller-cancels',
    'caller-hangs-up',
  ),
});
type Incoming = typeof incomingArb extends fc.Arbitrary<infer T> ? T : never;
const refusedArb = fc.record({
  kind: fc.constant('refused' as const),
  status: fc.constantFrom(403, 404, 480, 486, 488, 500, 503, 603),
  reason: reasonPhraseArb,
});
const scenarioArb = fc.record({
  botFirst: fc.boolean(),
  calls: fc.array(fc.oneof({ weight: 3, arbitrary: incomingArb }, refusedArb), {
    minLength: 1,
    maxLength: 3,
  }),
});

/** What the runs met, for the summary line. */
const seen = { runs: 0, calls: 0, unparsable: 0, mapped: 0, reports: 0 };

/** The far end calls; resolves once the phone rang, answered or refused (false: SIP refused it). */
async function ring(h: PhoneHarness, spec: Incoming): Promise<FakeCall | undefined> {
  let call: FakeCall;
  try {
    call = h.server.call(spec.user, {
      callId: spec.callId,
      ...(spec.displayName === undefined ? {} : { displayName: spec.displayName }),
    });
  } catch {
    // sip.js's own parser refuses the INVITE: the phone never sees it.
    seen.unparsable++;
    return undefined;
  }
  const id = h.idOf(call);
  await until(
    () =>
      h.line(id) !== undefined ||
      h.state().missed.some((m) => m.id === id) ||
      call.responses.some((r) => (r.statusCode ?? 0) >= 200),
  );
  return call;
}

/** Ends the call the way the scenario says, whatever state a race left it in. */
async function endIncoming(h: PhoneHarness, call: FakeCall, ending: Ending): Promise<void> {
  const id = h.idOf(call);
  const live = () => {
    const state = h.line(id)?.state;
    return state === 'ringing' || state === 'connected';
  };
  let farEndDone = false;
  for (let step = 0; live() && step < 20; step++) {
    const state = h.line(id)?.state;
    if (state === 'ringing') {
      if (ending === 'agent-declines') h.phone.decline(id);
      else if (ending === 'caller-cancels' && !farEndDone) {
        farEndDone = true;
        call.cancel();
      } else await settle(h.phone.answer(id));
    } else if (state === 'connected') {
      if (ending === 'caller-hangs-up' && call.state === 'confirmed' && !farEndDone) {
        farEndDone = true;
        call.bye();
      } else h.phone.hangup(id);
    }
    await flush(20);
  }
  await until(() => !live());
  h.phone.clearEndedCall();
}

describe('the phone reports random remote SIP fields (fast-check)', () => {
  it('every report parses or is logged as refused; every call taken on is reported ended', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        seen.runs++;
        const h = phoneHarness();
        await h.registered({ botFirst: scenario.botFirst, autoAnswer: scenario.botFirst });
        const taken: string[] = [];
        for (const spec of scenario.calls) {
          seen.calls++;
          if (spec.kind === 'refused') {
            h.server.unreachableUsers.set('fern', { status: spec.status, reason: spec.reason });
            await settle(h.phone.dial('fern'));
            // A response sip.js cannot parse: the INVITE times out (Timer B, 32 s).
            await until(() => h.state().call.state === 'ended', 40_000, 100);
            taken.push(h.state().call.id ?? '');
            h.phone.clearEndedCall();
            continue;
          }
          const call = await ring(h, spec);
          if (!call) continue;
          const id = h.idOf(call);
          if (id !== call.callId) seen.mapped++;
          expect(id.length).toBeGreaterThanOrEqual(1);
          expect(id.length).toBeLessThanOrEqual(CALL_ID_MAX_LENGTH);
          taken.push(id);
          await endIncoming(h, call, spec.ending);
        }
        // Reports go out asynchronously: let the last ones arrive.
        await vi.advanceTimersByTimeAsync(50);
        seen.reports += h.reports.reports.length + h.reports.rejected.length;
        // Refused by the engine's schema: each one in the desk's log.
        const refusedLines = h.log.filter((line) => / rejected or lost: /.test(line));
        expect(refusedLines).toHaveLength(h.reports.rejected.length);
        // Refused before sending (breaks the contract): logged as well.
        const notSent = h.log.filter((line) => / not sent: it breaks the contract/.test(line));
        // With the limits kept, nothing is refused at all.
        expect(h.reports.rejected).toEqual([]);
        expect(notSent).toEqual([]);
        // The engine heard the end of every call the phone took on.
        for (const id of taken) {
          expect(
            h.reports.calls(id).some((r) => r.state === 'ended'),
            `no accepted 'ended' report for call ${id.slice(0, 40)}…`,
          ).toBe(true);
        }
        await h.phone.dispose();
      }),
      { numRuns: Number(process.env.LOTSE_FUZZ_RUNS ?? 100) },
    );
    console.info(
      `phone reports fuzz: ${seen.runs} runs, ${seen.calls} calls, ${seen.reports} reports, ` +
        `${seen.mapped} over-long Call-IDs mapped, ${seen.unparsable} INVITEs sip.js could not parse`,
    );
  }, 120_000);
});
