/**
 * What the phone reports to the engine when the far end chose long or odd
 * fields: a Call-ID the contract cannot take is mapped to one stable short
 * id (store, reports, the call's audio), a long display name or user part
 * is cut to the contract's limit, so the engine always hears how the call
 * ended; a report that is refused anyway, or lost, is written to the log.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CALL_ID_MAX_LENGTH, REMOTE_MAX_LENGTH } from '../../../../electron/contract';
import { phoneHarness, until } from './phone-harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SipPhone reports remote fields of any length', () => {
  it('reports a call with a 250-character Call-ID under it, to its end', async () => {
    const h = phoneHarness();
    await h.registered();
    const callId = `${'k'.repeat(238)}@pbx.example`;
    expect(callId).toHaveLength(250);
    const call = await h.incoming('berta', { callId });
    expect(h.idOf(call)).toBe(callId);
    await h.phone.answer(callId);
    await until(() => h.line(callId)?.state === 'connected');
    h.phone.hangup(callId);
    await until(() => h.reports.calls(callId).some((r) => r.state === 'ended'));
    expect(h.reports.calls(callId).map((r) => r.state)).toEqual(['ringing', 'connected', 'ended']);
    expect(h.reports.rejected).toEqual([]);
  });

  it('maps a Call-ID over the limit to one stable short id: store, reports and audio use it', async () => {
    const h = phoneHarness();
    await h.registered();
    const sipCallId = `${'x'.repeat(590)}@pbx.example`;
    const long = await h.incoming('carla', { callId: sipCallId });
    const id = h.idOf(long);
    expect(id).not.toBe(sipCallId);
    expect(id.length).toBeLessThanOrEqual(CALL_ID_MAX_LENGTH);
    expect(h.state().call.id).toBe(id);
    await h.phone.answer(id);
    await until(() => h.line(id)?.state === 'connected');
    expect(h.audio.outgoing.at(-1)?.callId).toBe(id);
    // The far end still sees its own Call-ID in our answer and our BYE.
    h.phone.hangup();
    await until(() => long.sent('BYE').length === 1);
    expect(long.sent('BYE')[0]?.callId).toBe(sipCallId);
    expect(h.reports.calls(id).map((r) => r.state)).toEqual(['ringing', 'connected', 'ended']);
    expect(h.reports.rejected).toEqual([]);
  });

  it('keeps two long Call-IDs that begin alike two calls', async () => {
    const h = phoneHarness();
    await h.registered();
    const first = await h.incoming('dora', { callId: `${'y'.repeat(400)}-1` });
    const second = await h.incoming('emil', { callId: `${'y'.repeat(400)}-2` });
    expect(h.idOf(first)).not.toBe(h.idOf(second));
    expect(h.state().lines.map((l) => l.id)).toEqual([h.idOf(first), h.idOf(second)]);
    expect(h.state().lines[1]?.waiting).toBe(true);
  });

  it('cuts a 600-character display name and user part to the limit: the end is reported', async () => {
    const h = phoneHarness();
    await h.registered();
    const name = `Anna ${'Ä'.repeat(595)}`;
    const user = `u${'9'.repeat(599)}`;
    const call = await h.incoming(user, { displayName: name });
    const id = h.idOf(call);
    h.phone.decline();
    await until(() => h.reports.calls(id).some((r) => r.state === 'ended'));
    const ended = h.reports.calls(id).at(-1);
    expect(ended?.remote).toBe(user.slice(0, REMOTE_MAX_LENGTH));
    expect(ended?.remoteName).toBe(name.slice(0, REMOTE_MAX_LENGTH));
    expect(h.reports.rejected).toEqual([]);
  });

  it('logs a report the engine refuses or never gets, without the caller', async () => {
    const h = phoneHarness();
    await h.registered();
    const call = await h.incoming('0611223344', { displayName: 'Frau Geheim' });
    h.reports.unreachable = true;
    h.phone.decline();
    await until(() => h.log.length > 0);
    expect(h.log).toEqual([
      `warn report of call ${h.idOf(call)} (ended) rejected or lost: engine went away during phone.report`,
    ]);
    expect(h.log.join('\n')).not.toMatch(/0611223344|Geheim/);
  });
});
