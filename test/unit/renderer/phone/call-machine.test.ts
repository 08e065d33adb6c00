import { describe, expect, it } from 'vitest';
import {
  decideIncoming,
  isLive,
  MAX_LINES,
  parseSipfrag,
  statusMeaning,
  transferFailure,
  transferStep,
  type TransferEvent,
  type TransferState,
} from '../../../../renderer/phone/call-machine';

const policy = (autoAnswer: boolean, doNotDisturb: boolean) => ({ autoAnswer, doNotDisturb });

describe('what an incoming INVITE does', () => {
  it('rings when free, is answered at once with auto-answer, refused with do not disturb', () => {
    expect(
      decideIncoming({ policy: policy(false, false), liveLines: 0, replacesOurCall: false }),
    ).toEqual({ kind: 'ring' });
    expect(
      decideIncoming({ policy: policy(true, false), liveLines: 0, replacesOurCall: false }),
    ).toEqual({ kind: 'auto-answer', by: 'person' });
    const dnd = decideIncoming({
      policy: policy(true, true),
      liveLines: 0,
      replacesOurCall: false,
    });
    expect(dnd).toMatchObject({ kind: 'refuse', statusCode: 486 });
    expect(dnd.kind === 'refuse' && dnd.reason).toEqual({ code: 'do-not-disturb' });
  });

  it('auto-answer alone answers for the person at the desk; bot first for the bot, with or without auto-answer', () => {
    const decide = (autoAnswer: boolean, botFirst: boolean) =>
      decideIncoming({
        policy: { autoAnswer, doNotDisturb: false, botFirst },
        liveLines: 0,
        replacesOurCall: false,
      });
    expect(decide(true, false)).toEqual({ kind: 'auto-answer', by: 'person' });
    expect(decide(false, true)).toEqual({ kind: 'auto-answer', by: 'bot' });
    expect(decide(true, true)).toEqual({ kind: 'auto-answer', by: 'bot' });
    expect(decide(false, false)).toEqual({ kind: 'ring' });
  });

  it('knocks during a call and is never auto-answered then', () => {
    for (const autoAnswer of [false, true]) {
      for (let live = 1; live < MAX_LINES; live++) {
        expect(
          decideIncoming({
            policy: policy(autoAnswer, false),
            liveLines: live,
            replacesOurCall: false,
          }),
        ).toEqual({ kind: 'waiting' });
      }
    }
  });

  it('with bot first, a call while the agent is busy goes to a bot line; with every bot line in use: busy (486)', () => {
    const botFirst = { autoAnswer: false, doNotDisturb: false, botFirst: true };
    const decide = (inUse: number, liveLines = 1) =>
      decideIncoming({
        policy: botFirst,
        liveLines,
        replacesOurCall: false,
        botCalls: { inUse, max: 4 },
      });
    expect(decide(0)).toEqual({ kind: 'bot-line' });
    expect(decide(3)).toEqual({ kind: 'bot-line' });
    // Even beyond the agent's own line limit: the bot lines are separate.
    expect(decide(1, MAX_LINES)).toEqual({ kind: 'bot-line' });
    const full = decide(4);
    expect(full).toMatchObject({ kind: 'refuse', statusCode: 486 });
    expect(full.kind === 'refuse' && full.reason).toEqual({ code: 'all-lines-busy' });
    // The agent is free: the bot takes the call in the agent's path, as before.
    expect(decide(0, 0)).toEqual({ kind: 'auto-answer', by: 'bot' });
    // Do not disturb still refuses everything.
    expect(
      decideIncoming({
        policy: { ...botFirst, doNotDisturb: true },
        liveLines: 1,
        replacesOurCall: false,
        botCalls: { inUse: 0, max: 4 },
      }),
    ).toMatchObject({ kind: 'refuse', reason: { code: 'do-not-disturb' } });
  });

  it('hears busy when all lines are in use', () => {
    const full = decideIncoming({
      policy: policy(false, false),
      liveLines: MAX_LINES,
      replacesOurCall: false,
    });
    expect(full).toMatchObject({ kind: 'refuse', statusCode: 486 });
    expect(full.kind === 'refuse' && full.reason).toEqual({ code: 'all-lines-busy' });
  });

  it('takes an INVITE with Replaces for our call at once, whatever the policy and the lines', () => {
    expect(
      decideIncoming({ policy: policy(false, true), liveLines: MAX_LINES, replacesOurCall: true }),
    ).toEqual({ kind: 'replace' });
  });

  it('counts ringing, dialing and connected calls as live', () => {
    expect(
      ['idle', 'ringing', 'dialing', 'connected', 'ended'].map((s) => isLive(s as never)),
    ).toEqual([false, true, true, true, false]);
  });
});

describe('transfer progress (REFER, NOTIFY sipfrag)', () => {
  const run = (events: TransferEvent[], from: TransferState = 'requested') =>
    events.reduce<TransferState[]>((states, event) => {
      states.push(transferStep(states.at(-1) ?? from, event));
      return states;
    }, []);

  it('202, 100, 180, 200: trying, trying, ringing, done', () => {
    expect(
      run([
        { type: 'accepted' },
        { type: 'notify', statusCode: 100 },
        { type: 'notify', statusCode: 180 },
        { type: 'notify', statusCode: 200 },
      ]),
    ).toEqual(['trying', 'trying', 'ringing', 'done']);
  });

  it('a NOTIFY before the 202 counts, and a late 202 does not undo it', () => {
    expect(run([{ type: 'notify', statusCode: 180 }, { type: 'accepted' }])).toEqual([
      'ringing',
      'ringing',
    ]);
  });

  it('a 100 after 180 keeps ringing; 183 rings too', () => {
    expect(
      run([
        { type: 'notify', statusCode: 180 },
        { type: 'notify', statusCode: 100 },
      ]),
    ).toEqual(['ringing', 'ringing']);
    expect(run([{ type: 'notify', statusCode: 183 }])).toEqual(['ringing']);
  });

  it('fails on a refused REFER, a final failure NOTIFY or a timeout', () => {
    expect(run([{ type: 'rejected', statusCode: 603 }])).toEqual(['failed']);
    expect(run([{ type: 'accepted' }, { type: 'notify', statusCode: 486 }])).toEqual([
      'trying',
      'failed',
    ]);
    expect(run([{ type: 'accepted' }, { type: 'timeout' }])).toEqual(['trying', 'failed']);
  });

  it('done and failed are final', () => {
    expect(transferStep('done', { type: 'notify', statusCode: 486 })).toBe('done');
    expect(transferStep('done', { type: 'timeout' })).toBe('done');
    expect(transferStep('failed', { type: 'notify', statusCode: 200 })).toBe('failed');
  });

  it('reads the status line of a message/sipfrag body', () => {
    expect(parseSipfrag('SIP/2.0 180 Ringing')).toEqual({
      statusCode: 180,
      reasonPhrase: 'Ringing',
    });
    expect(parseSipfrag('SIP/2.0 200 OK\r\nContact: <sip:b@x>\r\n')).toEqual({
      statusCode: 200,
      reasonPhrase: 'OK',
    });
    expect(parseSipfrag('  SIP/2.0 486 Busy Here')).toEqual({
      statusCode: 486,
      reasonPhrase: 'Busy Here',
    });
    expect(parseSipfrag('SIP/2.0 100')).toEqual({ statusCode: 100, reasonPhrase: '' });
    expect(parseSipfrag('')).toBeUndefined();
    expect(parseSipfrag(undefined)).toBeUndefined();
    expect(parseSipfrag('HTTP/1.1 200 OK')).toBeUndefined();
    expect(parseSipfrag('SIP/2.0 2000 Too long')).toBeUndefined();
  });

  it('says why it failed, as a code with the status', () => {
    expect(transferFailure({ type: 'notify', statusCode: 404 })).toEqual({
      code: 'target-not-reached',
      statusCode: 404,
    });
    expect(transferFailure({ type: 'rejected', statusCode: 603 })).toEqual({
      code: 'transfer-refused',
      statusCode: 603,
    });
    for (const statusCode of [405, 420, 501])
      expect(transferFailure({ type: 'rejected', statusCode })).toEqual({
        code: 'transfer-unsupported',
        statusCode,
      });
    expect(transferFailure({ type: 'timeout' })).toEqual({ code: 'transfer-timeout' });
    expect(transferFailure({ type: 'accepted' })).toBeUndefined();
  });

  it('knows what a final SIP status means for the call', () => {
    expect([486, 600, 480, 404, 487, 488, 606, 603, 408, 500, 0].map(statusMeaning)).toEqual([
      'busy',
      'busy',
      'unavailable',
      'not-found',
      'cancelled',
      'no-common-codec',
      'no-common-codec',
      'declined',
      'no-answer',
      'failed',
      'failed',
    ]);
  });
});
