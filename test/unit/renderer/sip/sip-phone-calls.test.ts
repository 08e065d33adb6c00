/**
 * SipPhone's calls against the fake SIP far end: ringing and answering,
 * declining (603) and refusing a knocking call (486), hang-ups either way,
 * hold and resume by re-INVITE (RFC 3264 8.4), call waiting with "Annehmen
 * & Halten", keys by SIP INFO and RFC 4733, the call policy (do not
 * disturb, the bot answering first) and calls that cannot have audio.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeSdp } from '../../../fakes/fake-sip-server';
import { flush, phoneHarness, settle, until } from './phone-harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SipPhone: incoming and outgoing calls', () => {
  it('rings (180, ringtone), is answered (200 with SDP, ACK), the caller is heard', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.incoming('anna', { displayName: 'Anna Muster' });
    expect(call.responses.map((r) => r.statusCode)).toContain(180);
    expect(h.state().call).toMatchObject({
      id: call.callId,
      state: 'ringing',
      direction: 'incoming',
      remote: 'anna',
      remoteName: 'Anna Muster',
    });
    expect(h.ringtone.playing).toBe(true);
    expect(h.state().alert).toBe('ringtone');
    await settle(h.phone.answer());
    await until(() => call.state === 'confirmed');
    const ok = call.responses.find((r) => r.statusCode === 200);
    expect(ok?.body).toContain('m=audio');
    expect(h.state().call.state).toBe('connected');
    expect(h.ringtone.playing).toBe(false);
    expect(h.state().alert).toBe('none');
    expect(h.audio.outgoing).toHaveLength(1);
    expect(h.audio.outgoing[0]?.muted).toBe(false);
    expect(h.reports.calls(call.callId).map((r) => r.state)).toEqual(['ringing', 'connected']);
    expect(h.reports.calls(call.callId)[1]?.handledBy).toBe('person');
  });

  it('declines a ringing call with 603', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.incoming('anna');
    h.phone.decline();
    expect(await h.finalStatus(call)).toBe(603);
    expect(h.state().call.state).toBe('ended');
    expect(h.ringtone.playing).toBe(false);
    expect(h.reports.calls(call.callId).at(-1)).toMatchObject({ state: 'ended' });
    expect(h.state().call.endReason).toEqual({ code: 'declined' });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('declined');
    expect(h.reports.calls(call.callId).at(-1)?.outcome).toBe('declined');
  });

  it('the caller gives up while it rings (CANCEL): the ringing stops, the caller hung up', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.incoming('anna');
    call.cancel();
    await until(() => h.state().call.state === 'ended');
    expect(await h.finalStatus(call)).toBe(487);
    expect(h.ringtone.playing).toBe(false);
    expect(h.state().call.endReason).toEqual({ code: 'caller-gave-up' });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('caller hung up');
    expect(h.reports.calls(call.callId).at(-1)?.outcome).toBe('missed');
  });

  it('the far end hangs up (BYE): 200, ended, the audio path is released', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    call.bye();
    await until(() => h.state().call.state === 'ended');
    expect(call.responses.at(-1)?.statusCode).toBe(200);
    expect(h.audio.releases).toBeGreaterThanOrEqual(1);
    expect(h.state().call.endReason).toEqual({ code: 'remote-hangup' });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('remote hung up');
    expect(h.reports.calls(call.callId).at(-1)?.outcome).toBe('answered');
    h.phone.clearEndedCall();
    expect(h.state().call.state).toBe('idle');
  });

  it('the agent hangs up: BYE to the far end', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    h.phone.hangup();
    await settle(call.next('BYE'));
    expect(h.state().call.state).toBe('ended');
    expect(h.state().call.endReason).toEqual({ code: 'local-hangup' });
    expect(h.reports.calls(call.callId).at(-1)).toMatchObject({
      reason: 'hung up',
      outcome: 'answered',
    });
  });

  it('dials out: INVITE with an offer, ringing, connected when the far end answers', async () => {
    const h = phoneHarness();
    await h.registered();
    const pending = h.server.nextCall();
    await settle(h.phone.dial('kollegin'));
    const call = await settle(pending);
    expect(call.inviteRequest.ruri?.toString()).toBe('sip:kollegin@127.0.0.1');
    expect(call.inviteRequest.body).toContain('m=audio');
    expect(h.state().call).toMatchObject({ state: 'dialing', direction: 'outgoing' });
    call.ringing();
    call.answer();
    await until(() => h.state().call.state === 'connected');
    await settle(call.next('ACK'));
  });

  it('dials a busy number: 486, ended as busy; hanging up while it rings sends CANCEL', async () => {
    const h = phoneHarness();
    await h.registered();
    h.server.unreachableUsers.set('besetzt', 486);
    await settle(h.phone.dial('besetzt'));
    await until(() => h.state().call.state === 'ended');
    expect(h.state().call.endReason).toEqual({
      code: 'rejected',
      status: { statusCode: 486, reasonPhrase: 'Busy Here' },
    });
    expect(h.reports.calls().at(-1)).toMatchObject({ reason: 'busy (486)', outcome: 'busy' });
    h.phone.clearEndedCall();

    h.server.unreachableUsers.set('niemand', 404);
    await settle(h.phone.dial('niemand'));
    await until(() => h.state().call.state === 'ended');
    expect(h.reports.calls().at(-1)).toMatchObject({
      reason: 'not found (404)',
      outcome: 'failed',
    });
    h.phone.clearEndedCall();

    const pending = h.server.nextCall();
    await settle(h.phone.dial('kollegin'));
    const call = await settle(pending);
    call.ringing();
    await flush();
    h.phone.hangup();
    await settle(call.next('CANCEL'));
    expect(h.state().call).toMatchObject({ state: 'ended', endReason: { code: 'local-hangup' } });
    expect(h.reports.calls(call.callId).at(-1)).toMatchObject({
      reason: 'hung up',
      outcome: 'cancelled',
    });
  });

  it('refuses to dial while not registered or during a call', async () => {
    const h = phoneHarness();
    await expect(h.phone.dial('kollegin')).rejects.toMatchObject({
      name: 'PhoneError',
      failure: { code: 'not-registered' },
      message: 'not registered',
    });
    await h.registered();
    await expect(h.phone.dial('kein gültiges ziel')).rejects.toMatchObject({
      failure: { code: 'invalid-number', target: 'kein gültiges ziel' },
    });
    await h.answered('anna');
    await expect(h.phone.dial('kollegin')).rejects.toMatchObject({
      failure: { code: 'call-active' },
    });
  });
});

describe('SipPhone: hold and resume (re-INVITE)', () => {
  it('holds with a sendonly offer and silences the tracks; resumes with sendrecv', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    const media = h.media.of(call.callId);
    await settle(h.phone.setHold(true));
    const hold = call.sent('INVITE').at(-1);
    expect(hold?.body).toContain('a=sendonly');
    expect(h.state().call).toMatchObject({ held: true, holdPending: false });
    // Nothing is heard either way while held.
    expect(media.senderTracksEnabled).toBe(false);
    expect(media.receiverTracksEnabled).toBe(false);
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('on hold');
    await settle(h.phone.setHold(false));
    expect(call.sent('INVITE').at(-1)?.body).toContain('a=sendrecv');
    expect(h.state().call).toMatchObject({ held: false, holdPending: false });
    expect(media.senderTracksEnabled).toBe(true);
    expect(media.receiverTracksEnabled).toBe(true);
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('resumed');
  });

  it('a refused hold (488) leaves the call as it was and says why', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    call.reinviteAnswer = 488;
    await expect(settle(h.phone.setHold(true))).rejects.toMatchObject({
      failure: { code: 'hold-failed', statusCode: 488, reasonPhrase: 'Not Acceptable Here' },
    });
    expect(h.state().call).toMatchObject({ state: 'connected', held: false, holdPending: false });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe(
      'hold failed: 488 Not Acceptable Here',
    );
  });
});

describe('SipPhone: call waiting', () => {
  it('a second call knocks (waiting tone, no ringtone); "Annehmen & Halten" holds the first and answers it', async () => {
    const h = phoneHarness();
    await h.registered();
    const first = await h.answered('anna');
    const second = await h.incoming('bert');
    expect(h.line(second.callId)).toMatchObject({ state: 'ringing', waiting: true });
    expect(h.state().activeId).toBe(first.callId);
    expect(h.waitingTone.playing).toBe(true);
    expect(h.ringtone.playing).toBe(false);
    expect(h.state().alert).toBe('waiting');
    await settle(h.phone.answerWaiting(second.callId));
    await until(() => second.state === 'confirmed');
    expect(first.sent('INVITE').at(-1)?.body).toContain('a=sendonly');
    expect(h.line(first.callId)).toMatchObject({ state: 'connected', held: true });
    expect(h.state().call).toMatchObject({ id: second.callId, state: 'connected' });
    expect(h.waitingTone.playing).toBe(false);
    // The second call has the audio path: its own outgoing stream.
    expect(h.audio.outgoing).toHaveLength(2);

    // The second caller hangs up: the first comes forward, still held.
    second.bye();
    await until(() => h.state().activeId === first.callId);
    expect(h.state().call).toMatchObject({ state: 'connected', held: true });
    expect(h.audio.releases).toBe(1);
    expect(h.state().notice).toMatchObject({
      kind: 'call-ended',
      remote: 'bert',
      reason: { code: 'remote-hangup' },
    });
    // Resumed, the first call takes the audio path back: a fresh outgoing stream on its sender.
    await settle(h.phone.setHold(false));
    expect(h.audio.outgoing).toHaveLength(3);
    expect(h.media.of(first.callId).peerConnection.sender.track).toBe(
      h.audio.outgoing[2]?.stream.getAudioTracks()[0],
    );
    expect(h.audio.tapped.at(-1)).toBe(h.media.of(first.callId).remoteMediaStream);
  });

  it('declining a knocking call sends 486 and lists it as missed; the first call goes on', async () => {
    const h = phoneHarness();
    await h.registered();
    const first = await h.answered('anna');
    const second = await h.incoming('bert');
    h.phone.decline(second.callId);
    expect(await h.finalStatus(second)).toBe(486);
    expect(h.state().missed).toHaveLength(1);
    expect(h.state().missed[0]).toMatchObject({
      id: second.callId,
      remote: 'bert',
      reason: { code: 'waiting-declined' },
    });
    expect(h.state().call).toMatchObject({ id: first.callId, state: 'connected' });
    expect(h.waitingTone.playing).toBe(false);
    expect(h.reports.calls(second.callId).at(-1)?.reason).toBe('busy: waiting call declined (486)');
  });

  it('a fourth caller hears busy (486) when all lines are in use', async () => {
    const h = phoneHarness();
    await h.registered();
    await h.answered('anna');
    await h.incoming('bert');
    await h.incoming('carla');
    const fourth = await h.incoming('dora');
    expect(await h.finalStatus(fourth)).toBe(486);
    expect(h.state().missed[0]).toMatchObject({
      remote: 'dora',
      reason: { code: 'all-lines-busy' },
    });
    expect(h.reports.calls(fourth.callId).at(-1)?.reason).toBe('busy: all lines in use (486)');
  });
});

describe('SipPhone: the call policy', () => {
  it('do not disturb refuses with 486 and lists the call as missed, without ringing', async () => {
    const h = phoneHarness();
    await h.registered({ doNotDisturb: true });
    const call = await h.incoming('anna');
    expect(await h.finalStatus(call)).toBe(486);
    expect(h.ringtone.starts).toBe(0);
    expect(h.state().call.state).toBe('idle');
    expect(h.state().missed[0]).toMatchObject({
      id: call.callId,
      remote: 'anna',
      reason: { code: 'do-not-disturb' },
    });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('do not disturb: refused (486)');
  });

  it('the bot answers first: no ringing, answered at once, the microphone starts off', async () => {
    const h = phoneHarness();
    await h.registered({ botFirst: true });
    const call = h.server.call('anna');
    await until(() => call.state === 'confirmed');
    expect(h.ringtone.starts).toBe(0);
    expect(h.state().call.state).toBe('connected');
    expect(h.audio.outgoing[0]?.muted).toBe(true);
    const connected = h.reports.calls(call.callId).find((r) => r.state === 'connected');
    expect(connected?.handledBy).toBe('bot');
  });

  it('auto-answer without bot first: the person at the desk took the call, not the bot', async () => {
    const h = phoneHarness();
    await h.registered({ autoAnswer: true, botFirst: false });
    const call = h.server.call('anna');
    await until(() => call.state === 'confirmed');
    expect(h.ringtone.starts).toBe(0);
    expect(h.state().call.state).toBe('connected');
    // The person talks: their microphone is on, unlike when the bot answers first.
    expect(h.audio.outgoing[0]?.muted).toBe(false);
    const connected = h.reports.calls(call.callId).find((r) => r.state === 'connected');
    expect(connected?.handledBy).toBe('person');
  });

  it('bot first with auto-answer on as well: the bot took the call', async () => {
    const h = phoneHarness();
    await h.registered({ autoAnswer: true, botFirst: true });
    const call = h.server.call('anna');
    await until(() => call.state === 'confirmed');
    const connected = h.reports.calls(call.callId).find((r) => r.state === 'connected');
    expect(connected?.handledBy).toBe('bot');
  });

  it('auto-answer takes a call at once, but never one that knocks', async () => {
    const h = phoneHarness();
    await h.registered({ autoAnswer: true });
    const first = h.server.call('anna');
    await until(() => first.state === 'confirmed');
    const second = await h.incoming('bert');
    await flush(2_000);
    expect(h.line(second.callId)).toMatchObject({ state: 'ringing', waiting: true });
  });
});

describe('SipPhone: calls without usable audio', () => {
  it('an offer with no common codec (G.729 only) is refused with 488 and named', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = h.server.call('anna', { sdp: fakeSdp({ codecs: '18' }) });
    expect(await h.finalStatus(call)).toBe(488);
    expect(h.state().call).toMatchObject({
      state: 'ended',
      endReason: { code: 'no-common-codec', offered: ['G729'] },
    });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe(
      'no common codec (offered: G729); refused with 488',
    );
  });

  it('an offer the media layer cannot take: answering fails, the call ends with the reason', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.incoming('anna');
    h.media.failNextRemoteDescription = new Error('bad SDP');
    await settle(h.phone.answer());
    await until(() => h.state().call.state === 'ended');
    // sip.js ends the session before accept() rejects: the termination says why.
    expect(h.state().call.endReason).toEqual({ code: 'unusable-offer' });
    expect(h.reports.calls(call.callId).at(-1)?.reason).toBe('answer failed: unusable offer');
    expect(h.ringtone.playing).toBe(false);
  });
});

describe('SipPhone: keys (DTMF)', () => {
  it('sends keys as SIP INFO (application/dtmf-relay), one after another', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    await settle(h.phone.sendDtmf('1#', 'info'));
    const infos = call.sent('INFO');
    expect(infos.map((i) => i.body)).toEqual([
      'Signal=1\r\nDuration=160',
      'Signal=#\r\nDuration=160',
    ]);
    expect(infos[0]?.getHeader('Content-Type')).toBe('application/dtmf-relay');
    expect(h.state().call.dtmfSent).toBe('1#');
  });

  it('a key refused by the far end rejects; an invalid key is not sent', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    call.infoAnswer = 415;
    await expect(settle(h.phone.sendDtmf('5', 'info'))).rejects.toMatchObject({
      failure: { code: 'dtmf-refused', status: { statusCode: 415 } },
    });
    await expect(h.phone.sendDtmf('x', 'info')).rejects.toMatchObject({
      failure: { code: 'invalid-dtmf', tones: 'x' },
    });
  });

  it('sends keys as RFC 4733 events in the media, and says so when the call has none', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    await settle(h.phone.sendDtmf('12', 'rfc4733'));
    expect(h.media.of(call.callId).tones).toEqual(['1', '2']);
    expect(h.state().call.dtmfSent).toBe('12');
    h.media.of(call.callId).telephoneEvent = false;
    await expect(settle(h.phone.sendDtmf('3', 'rfc4733'))).rejects.toMatchObject({
      failure: { code: 'dtmf-unavailable' },
    });
    expect(call.sent('INFO')).toHaveLength(0);
  });

  it('hands keys the far end sends by SIP INFO to the bot; other INFO is refused (415)', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.answered('anna');
    call.info('application/dtmf-relay', 'Signal=5\r\nDuration=160');
    await until(() => h.dtmfReceived.length === 1);
    expect(h.dtmfReceived[0]).toEqual({ callId: call.callId, tone: '5' });
    call.info('text/plain', 'hallo');
    await until(() => call.responses.some((r) => r.statusCode === 415));
    expect(h.dtmfReceived).toHaveLength(1);
  });
});
