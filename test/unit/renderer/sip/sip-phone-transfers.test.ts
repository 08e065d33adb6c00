/**
 * SipPhone's transfers against the fake SIP far end (RFC 3515 REFER, RFC
 * 3891 Replaces, RFC 5589 call transfer): blind transfer with its NOTIFY
 * progress to done and to failed, attended transfer after a consultation
 * call, a REFER from the far side followed or refused, and an INVITE with
 * Replaces that hands us a call.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flush, phoneHarness, settle, until } from './phone-harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SipPhone: blind transfer', () => {
  it('REFER to the target; NOTIFYs 100, 180, 200 move it to done and our leg ends', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    h.phone.transferBlind('kollegin');
    const refer = await settle(call.next('REFER'));
    expect(refer.getHeader('Refer-To')).toContain('sip:kollegin@127.0.0.1');
    await until(() => h.state().call.transfer?.state === 'trying');
    expect(h.state().call.transfer).toMatchObject({ kind: 'blind', target: 'kollegin' });
    call.notify('SIP/2.0 100 Trying');
    call.notify('SIP/2.0 180 Ringing');
    await until(() => h.state().call.transfer?.state === 'ringing');
    expect(h.state().call.transfer?.statusCode).toBe(180);
    call.notify('SIP/2.0 200 OK', true);
    await settle(call.next('BYE'));
    expect(h.state().call).toMatchObject({
      state: 'ended',
      endReason: { code: 'transferred', target: 'kollegin' },
    });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('transferred to kollegin');
  });

  it('a final failure NOTIFY (404) fails it with the reason; the call goes on', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    h.phone.transferBlind('niemand');
    await settle(call.next('REFER'));
    call.notify('SIP/2.0 404 Not Found', true);
    await until(() => h.state().call.transfer?.state === 'failed');
    expect(h.state().call.transfer).toMatchObject({
      statusCode: 404,
      failure: { code: 'target-not-reached', statusCode: 404 },
    });
    expect(h.state().call.state).toBe('connected');
    expect(call.sent('BYE')).toHaveLength(0);
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('target not reached: not found (404)');
  });

  it('a refused REFER (603) or no NOTIFY within 40 s fails it', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    call.referAnswer = 603;
    h.phone.transferBlind('kollegin');
    await until(() => h.state().call.transfer?.state === 'failed');
    expect(h.state().call.transfer?.failure).toEqual({ code: 'transfer-refused', statusCode: 603 });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('transfer refused (declined (603))');

    call.referAnswer = 202;
    h.phone.transferBlind('kollegin');
    await until(() => h.state().call.transfer?.state === 'trying');
    await flush(39_000);
    expect(h.state().call.transfer?.state).toBe('trying');
    await until(() => h.state().call.transfer?.state === 'failed', 2_000);
    expect(h.state().call.state).toBe('connected');
    expect(h.state().call.transfer?.failure).toEqual({ code: 'transfer-timeout' });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('no progress report for the transfer');
  });

  it('refuses a second transfer while one is under way, and one without a connected call', async () => {
    const h = phoneHarness();
    await h.registered();
    expect(() => h.phone.transferBlind('kollegin')).toThrow(
      expect.objectContaining({ failure: { code: 'no-connected-call' } }),
    );
    await h.answered('anna');
    h.phone.transferBlind('kollegin');
    expect(() => h.phone.transferBlind('kollegin')).toThrow(
      expect.objectContaining({ failure: { code: 'transfer-under-way' } }),
    );
    expect(() => h.phone.completeTransfer()).toThrow(
      expect.objectContaining({ failure: { code: 'no-consultation' } }),
    );
  });
});

describe('SipPhone: attended transfer', () => {
  it('consultation call (the caller held), then REFER with Replaces; both our legs end', async () => {
    const h = phoneHarness();
    await h.registered();
    const caller = await h.answered('anna');
    const pending = h.server.nextCall();
    const consulting = h.phone.startConsult('kollegin');
    const colleague = await settle(pending);
    await settle(consulting);
    expect(caller.sent('INVITE').at(-1)?.body).toContain('a=sendonly');
    expect(h.line(caller.callId)).toMatchObject({ held: true });
    expect(h.state().call).toMatchObject({ id: colleague.callId, consultFor: caller.callId });
    colleague.answer();
    await until(() => h.state().call.state === 'connected');

    h.phone.completeTransfer();
    const refer = await settle(caller.next('REFER'));
    const referTo = decodeURIComponent(refer.getHeader('Refer-To') ?? '');
    expect(referTo).toContain(`Replaces=${colleague.callId}`);
    expect(h.line(caller.callId)?.transfer).toMatchObject({ kind: 'attended', target: 'kollegin' });
    caller.notify('SIP/2.0 200 OK', true);
    await settle(caller.next('BYE'));
    // The target would end our consultation call; it does not, so we do after a while.
    await settle(colleague.next('BYE'), 6_000);
    expect(h.state().lines.filter((l) => l.state !== 'ended')).toHaveLength(0);
    expect(h.reports.calls(caller.callId).at(-1)?.reason).toBe('transferred to kollegin');
    expect(h.reports.calls(colleague.callId).at(-1)?.reason).toBe('transferred to kollegin');
  });

  it('"Rückfrage beenden" ends the consultation call and resumes the caller', async () => {
    const h = phoneHarness();
    await h.registered();
    const caller = await h.answered('anna');
    const pending = h.server.nextCall();
    const consulting = h.phone.startConsult('kollegin');
    const colleague = await settle(pending);
    await settle(consulting);
    colleague.answer();
    await until(() => h.state().call.state === 'connected');
    await settle(h.phone.cancelConsult());
    await settle(colleague.next('BYE'));
    expect(caller.sent('INVITE').at(-1)?.body).toContain('a=sendrecv');
    expect(h.state().call).toMatchObject({ id: caller.callId, state: 'connected', held: false });
    expect(h.reports.calls(colleague.callId).at(-1)?.reason).toBe('consultation ended');
  });

  it('an INVITE with Replaces for our call (we are the transfer target) takes its place at once', async () => {
    const h = phoneHarness();
    await h.registered();
    const agentB = await h.answered('agentb');
    const transferred = h.server.call('anna', { replaces: agentB.replaces });
    await until(() => transferred.state === 'confirmed');
    expect(h.ringtone.starts).toBe(1);
    await until(
      () => h.line(agentB.callId) === undefined || h.line(agentB.callId)?.state === 'ended',
    );
    expect(h.state().call).toMatchObject({ id: transferred.callId, state: 'connected' });
    expect(h.reports.calls(agentB.callId).at(-1)?.reason).toBe('transferred: anna takes over');
    expect(h.state().notice).toMatchObject({
      kind: 'call-ended',
      remote: 'agentb',
      reason: { code: 'replaced', by: 'anna' },
    });
  });
});

describe('SipPhone: REFER from the far side', () => {
  it('is followed: 202, a call to the target, and the old call ends once it answers', async () => {
    const h = phoneHarness();
    await h.registered();
    const caller = await h.answered('anna');
    const pending = h.server.nextCall();
    caller.refer('kollegin');
    const target = await settle(pending);
    expect(caller.responses.find((r) => /REFER$/.test(r.getHeader('CSeq') ?? ''))?.statusCode).toBe(
      202,
    );
    expect(target.inviteRequest.ruri?.toString()).toBe('sip:kollegin@127.0.0.1');
    expect(h.state().call).toMatchObject({ id: target.callId, referredBy: 'anna' });
    expect(h.state().notice).toMatchObject({
      kind: 'forwarding',
      from: 'anna',
      target: 'kollegin',
    });
    target.answer();
    await settle(caller.next('BYE'));
    expect(h.state().call).toMatchObject({ id: target.callId, state: 'connected' });
    expect(h.reports.calls(caller.callId).at(-1)?.reason).toBe('transferred to kollegin');
    await until(() => caller.sent('NOTIFY').some((n) => /200 OK/.test(n.body)));
  });

  it('is refused with 603 when the policy says so; the call goes on', async () => {
    const h = phoneHarness();
    await h.registered();
    h.phone.setPolicy({ followRefer: false });
    const caller = await h.answered('anna');
    caller.refer('kollegin');
    await until(() => caller.responses.some((r) => r.statusCode === 603));
    expect(h.state().call).toMatchObject({ id: caller.callId, state: 'connected' });
    expect(h.state().notice).toMatchObject({
      kind: 'forward-refused',
      target: 'kollegin',
      why: 'policy',
      statusCode: 603,
    });
    expect(h.reports.calls(caller.callId).at(-1)?.reason).toBe('REFER to kollegin refused (603)');
  });

  it('a target that cannot be reached: the old call goes on', async () => {
    const h = phoneHarness();
    await h.registered();
    h.server.unreachableUsers.set('niemand', 404);
    const caller = await h.answered('anna');
    caller.refer('niemand');
    await until(() => h.reports.calls().some((r) => r.remote === 'niemand' && r.state === 'ended'));
    await until(() => h.state().activeId === caller.callId && h.state().lines.length === 1);
    expect(h.state().call).toMatchObject({ id: caller.callId, state: 'connected' });
    expect(caller.sent('BYE')).toHaveLength(0);
    expect(h.state().notice).toMatchObject({
      kind: 'call-ended',
      remote: 'niemand',
      reason: { code: 'rejected', status: { statusCode: 404 } },
    });
  });
});
