/**
 * SipPhone keeps established calls through a lost server connection: they
 * wait ("reconnecting") while the phone registers again, then confirm the
 * dialog with a re-INVITE and an ICE restart (RFC 3261 14, RFC 8445 9).
 * A far end that forgot the dialog (481) ends the call without a BYE; a
 * server that stays away ends it at the limit.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flush, phoneHarness, settle, until } from './phone-harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SipPhone: the server connection is lost during a call', () => {
  it('the call waits, the phone registers again, a re-INVITE with ICE restart restores it', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    const ufrag = h.media.of(call.callId).descriptions.at(-1)?.ufrag;
    h.server.drop(false);
    await until(() => h.state().call.reconnecting === true);
    expect(h.state().call.state).toBe('connected');
    expect(h.state().registration.state).toBe('failed');
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('connection lost – reconnecting');
    await expect(h.phone.setHold(true)).rejects.toMatchObject({
      failure: { code: 'reconnecting' },
    });

    await flush(2_000);
    h.server.reachable = true;
    await until(() => h.state().registration.state === 'registered', 20_000);
    const reinvite = await settle(call.next('INVITE'));
    await until(() => h.state().call.reconnecting !== true);
    const offer = h.media.of(call.callId).descriptions.at(-1);
    expect(offer?.iceRestart).toBe(true);
    expect(offer?.ufrag).not.toBe(ufrag);
    expect(reinvite.body).toContain(`a=ice-ufrag:${offer?.ufrag}`);
    expect(h.state().call.state).toBe('connected');
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe(
      'connection restored (re-INVITE, ICE restart)',
    );

    // A later hold needs no ICE restart.
    await settle(h.phone.setHold(true));
    expect(h.media.of(call.callId).descriptions.at(-1)).toMatchObject({
      hold: true,
      iceRestart: false,
    });
  });

  it('the far end forgot the call (481): it ends with the reason, without a BYE', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    call.reinviteAnswer = 481;
    h.server.drop(true);
    await until(() => h.state().call.reconnecting === true);
    await until(() => h.state().call.state === 'ended', 20_000);
    expect(call.sent('BYE')).toHaveLength(0);
    expect(h.state().call.endReason).toEqual({ code: 'connection-lost', statusCode: 481 });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe(
      'connection to the phone server lost – call ended (481)',
    );
  });

  it('the far end is still reconnecting (480): the re-INVITE is sent again shortly', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    let refusals = 1;
    call.reinviteAnswer = () => (refusals-- > 0 ? 480 : 200);
    h.server.drop(true);
    await until(() => call.sent('INVITE').length === 2, 20_000);
    await until(() => h.state().call.reconnecting !== true);
    expect(h.state().call.state).toBe('connected');
  });

  it('a refused re-INVITE (488) leaves the call up: the media kept flowing', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    call.reinviteAnswer = 488;
    h.server.drop(true);
    await until(() => call.sent('INVITE').length === 1, 20_000);
    await until(() => h.state().call.reconnecting !== true);
    expect(h.state().call.state).toBe('connected');
  });

  it('the server stays away beyond the limit: the call ends with the reason', async () => {
    const h = phoneHarness({ reconnectLimitMs: 3_000 });
    await h.registered();
    const call = await h.answered('anna');
    const lostAt = Date.now();
    h.server.drop(false);
    await until(() => h.state().call.state === 'ended', 10_000);
    expect(Date.now() - lostAt).toBeGreaterThanOrEqual(3_000);
    expect(h.state().call.endReason).toEqual({ code: 'connection-lost' });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe(
      'connection to the phone server lost – call ended',
    );
  });
});
