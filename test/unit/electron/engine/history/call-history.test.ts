import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallHistoryEntry } from '../../../../../electron/contract';
import { CallHistory, searchText } from '../../../../../electron/engine/history/call-history';
import { deriveOutcome } from '../../../../../electron/engine/history/call-outcome';
import { Logger, type LogEntry } from '../../../../../electron/engine/log/logger';

// Real databases, no mocks: better-sqlite3 in a temp folder for the whole
// suite, and one run of the same scenario on PGlite (PostgreSQL) so the SQL
// is proven portable.

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
let t = T0;
const now = () => new Date(t);
let dir: string;
let logs: LogEntry[];
let logger: Logger;
let history: CallHistory;

function report(
  callId: string,
  state: 'ringing' | 'dialing' | 'connected' | 'ended',
  extra: Record<string, unknown> = {},
) {
  return {
    kind: 'call',
    callId,
    state,
    direction: state === 'dialing' ? 'outgoing' : 'incoming',
    remote: 'anrufer',
    ...extra,
  };
}

/** One call through the history as the phone reports it, `talkMs` long if answered. */
async function call(
  h: CallHistory,
  callId: string,
  options: {
    direction?: 'incoming' | 'outgoing';
    remote?: string;
    remoteName?: string;
    answered?: boolean;
    talkMs?: number;
    reason?: string;
    handledBy?: 'bot' | 'person';
  } = {},
): Promise<CallHistoryEntry | null> {
  const direction = options.direction ?? 'incoming';
  const common = {
    direction,
    remote: options.remote ?? 'anrufer',
    ...(options.remoteName ? { remoteName: options.remoteName } : {}),
  };
  await h.record(report(callId, direction === 'incoming' ? 'ringing' : 'dialing', common));
  t += 2000;
  if (options.answered !== false) {
    await h.record(
      report(callId, 'connected', {
        ...common,
        ...(options.handledBy ? { handledBy: options.handledBy } : {}),
      }),
    );
    t += options.talkMs ?? 30_000;
  }
  const ended = await h.record(
    report(callId, 'ended', {
      ...common,
      reason: options.reason ?? 'Aufgelegt / hung up',
    }),
  );
  t += 60_000;
  return ended;
}

beforeEach(async () => {
  t = T0;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-history-'));
  logs = [];
  logger = new Logger({ stderr: false });
  logger.addSink((entry) => logs.push(entry));
  history = await CallHistory.open({
    dataDir: dir,
    driver: 'sqlite',
    now,
    log: logger.scope('history'),
  });
});

afterEach(async () => {
  await history?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('CallHistory from call reports (better-sqlite3)', () => {
  it('stores a call from ringing to its end with times, duration, outcome and who took it', async () => {
    expect(history.dialect).toBe('sqlite');
    const changes: string[] = [];
    history.onChange((c) => changes.push(c.callId));
    const ended = await call(history, 'c1', {
      remoteName: 'Erika Mustermann',
      remote: '+49 30 1234567',
      talkMs: 95_000,
      handledBy: 'bot',
    });
    expect(ended).toMatchObject({
      callId: 'c1',
      direction: 'incoming',
      number: '+49 30 1234567',
      displayName: 'Erika Mustermann',
      startedAt: new Date(T0).toISOString(),
      answeredAt: new Date(T0 + 2000).toISOString(),
      endedAt: new Date(T0 + 97_000).toISOString(),
      durationMs: 95_000,
      outcome: 'answered',
      handledBy: 'bot',
      reason: 'Aufgelegt / hung up',
    });
    expect(changes).toEqual(['c1', 'c1', 'c1']);
    const page = await history.list({});
    expect(page.total).toBe(1);
    expect(page.entries[0]).toEqual(ended);
    // The file is where the engine's data lives.
    expect(fs.existsSync(path.join(dir, 'history.sqlite'))).toBe(true);
  });

  it('reads the outcome of calls that never connected from the reason', async () => {
    await call(history, 'missed', {
      answered: false,
      reason: 'Anrufer hat aufgelegt / caller hung up',
    });
    await call(history, 'declined', { answered: false, reason: 'Abgelehnt / declined' });
    await call(history, 'busy', {
      direction: 'outgoing',
      answered: false,
      reason: 'Besetzt / busy (486)',
    });
    await call(history, 'cancelled', { direction: 'outgoing', answered: false });
    await call(history, 'unreachable', {
      direction: 'outgoing',
      answered: false,
      reason: 'Teilnehmer unbekannt / not found (404)',
    });
    // Refused before it rang (do not disturb): only an 'ended' report arrives.
    await history.record(
      report('dnd', 'ended', {
        remote: 'spaet',
        remoteName: 'Spät Anrufer',
        reason: 'Nicht stören: abgewiesen / do not disturb: refused (486)',
      }),
    );
    const { entries } = await history.list({});
    const byId = Object.fromEntries(entries.map((e) => [e.callId, e]));
    expect(byId.missed).toMatchObject({ outcome: 'missed', answeredAt: null, durationMs: null });
    expect(byId.declined?.outcome).toBe('declined');
    expect(byId.busy?.outcome).toBe('busy');
    expect(byId.cancelled?.outcome).toBe('cancelled');
    expect(byId.unreachable?.outcome).toBe('failed');
    expect(byId.dnd).toMatchObject({
      outcome: 'missed',
      displayName: 'Spät Anrufer',
      handledBy: null,
      durationMs: null,
    });
    // An outgoing call the agent made is handled by a person.
    await call(history, 'out-ok', { direction: 'outgoing' });
    expect((await history.list({ outcome: 'answered' })).entries[0]).toMatchObject({
      callId: 'out-ok',
      handledBy: 'person',
    });
  });

  it('keeps the first answer time when "connected" repeats (hold, resume) and ignores a second end', async () => {
    await history.record(report('c2', 'ringing'));
    t += 1000;
    await history.record(report('c2', 'connected', { handledBy: 'person' }));
    t += 5000;
    await history.record(report('c2', 'connected', { reason: 'gehalten / on hold' }));
    t += 5000;
    const ended = await history.record(
      report('c2', 'ended', { reason: 'Gegenseite hat aufgelegt' }),
    );
    expect(ended).toMatchObject({ durationMs: 10_000, outcome: 'answered', handledBy: 'person' });
    expect(await history.record(report('c2', 'ended', { reason: 'again' }))).toBeNull();
    expect((await history.list({})).total).toBe(1);
  });

  it('takes an explicit outcome and a later handoff from the bot to a person', async () => {
    await history.record(report('c3', 'ringing'));
    await history.record(report('c3', 'connected', { handledBy: 'bot' }));
    expect(await history.setHandledBy('c3', 'person')).toBe(true);
    const ended = await history.record(
      report('c3', 'ended', { reason: 'Gespräch beendet', outcome: 'transferred' }),
    );
    expect(ended).toMatchObject({ outcome: 'transferred', handledBy: 'person' });
    expect(await history.setHandledBy('c3', 'bot')).toBe(false);
  });

  it('ignores a malformed report and says so in the log', async () => {
    expect(await history.record({ kind: 'call', callId: 42, state: 'ringing' })).toBeNull();
    expect(await history.record('not a report')).toBeNull();
    expect(
      await history.record({ ...report('c4', 'ringing'), remote: 'x'.repeat(600) }),
    ).toBeNull();
    // A registration report is valid but not about a call: silently not stored.
    expect(await history.record({ kind: 'registration', state: 'registered' })).toBeNull();
    expect((await history.list({})).total).toBe(0);
    const warnings = logs.filter((l) => l.level === 'warn' && l.scope === 'history');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]?.message).toMatch(/call report ignored, not valid: .*callId/s);
    // The store still works afterwards.
    await call(history, 'c5');
    expect((await history.list({})).total).toBe(1);
  });

  it('searches number and name in any case, also digits typed with separators', async () => {
    await call(history, 'a', { remote: '+49 30 1234567', remoteName: 'Erika Mustermann' });
    await call(history, 'b', { remote: '0301234567', remoteName: 'Max Müller' });
    await call(history, 'c', { remote: 'anrufer', remoteName: '100% Test_Name' });
    const ids = async (search: string) =>
      (await history.list({ search })).entries.map((e) => e.callId).sort();
    expect(await ids('muster')).toEqual(['a']);
    expect(await ids('MÜLLER')).toEqual(['b']);
    expect(await ids('1234567')).toEqual(['a', 'b']);
    expect(await ids('030-123')).toEqual(['a', 'b']);
    expect(await ids('erika 1234')).toEqual(['a']);
    expect(await ids('erika müller')).toEqual([]);
    // LIKE wildcards in the search are plain characters.
    expect(await ids('%')).toEqual(['c']);
    expect(await ids('e_t')).toEqual([]); // as a wildcard it would match "est"
    expect(await ids('t_n')).toEqual(['c']);
    expect(await ids('  ')).toEqual(['a', 'b', 'c']);
    expect(searchText('+49 30 1', 'Erika')).toBe('+49 30 1 erika 49301 0301');
    expect(searchText('0049301', null)).toBe('0049301 0301');
  });

  it('filters by direction, outcome, who handled it and time, and pages newest first', async () => {
    await call(history, 'in-bot', { handledBy: 'bot' });
    await call(history, 'in-person', { handledBy: 'person' });
    await call(history, 'in-missed', { answered: false, reason: 'Anrufer hat aufgelegt' });
    const middle = new Date(t).toISOString();
    await call(history, 'out-1', { direction: 'outgoing' });
    await call(history, 'out-2', { direction: 'outgoing', answered: false });
    const ids = async (query: Parameters<CallHistory['list']>[0]) =>
      (await history.list(query)).entries.map((e) => e.callId);

    expect(await ids({})).toEqual(['out-2', 'out-1', 'in-missed', 'in-person', 'in-bot']);
    expect(await ids({ direction: 'outgoing' })).toEqual(['out-2', 'out-1']);
    expect(await ids({ outcome: 'missed' })).toEqual(['in-missed']);
    expect(await ids({ handledBy: 'bot' })).toEqual(['in-bot']);
    expect(await ids({ handledBy: 'person' })).toEqual(['out-1', 'in-person']);
    expect(await ids({ from: middle })).toEqual(['out-2', 'out-1']);
    expect(await ids({ to: middle })).toEqual(['in-missed', 'in-person', 'in-bot']);
    // A time with an offset means the same instant.
    const berlin = new Date(Date.parse(middle)).toISOString().replace('Z', '+00:00');
    expect(await ids({ from: berlin, direction: 'incoming' })).toEqual([]);

    const first = await history.list({ limit: 2 });
    const second = await history.list({ limit: 2, offset: 2 });
    const third = await history.list({ limit: 2, offset: 4 });
    expect([first.total, second.total, third.total]).toEqual([5, 5, 5]);
    expect(first.entries.map((e) => e.callId)).toEqual(['out-2', 'out-1']);
    expect(second.entries.map((e) => e.callId)).toEqual(['in-missed', 'in-person']);
    expect(third.entries.map((e) => e.callId)).toEqual(['in-bot']);
    expect((await history.list({ direction: 'incoming', limit: 1 })).total).toBe(3);
  });

  it('rejects a query it cannot answer with a clear error', async () => {
    await expect(history.list({ from: 'gestern' })).rejects.toThrow(/ISO-8601/);
    await expect(
      history.list({ from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }),
    ).rejects.toThrow(/from/);
    await expect(history.list({ limit: 0 })).rejects.toThrow();
  });

  it('keeps every call across a restart, also one still ringing', async () => {
    await call(history, 'before', { remoteName: 'Vor dem Neustart' });
    await history.record(report('ongoing', 'ringing', { remoteName: 'Läuft noch' }));
    await history.close();
    history = await CallHistory.open({ dataDir: dir, driver: 'sqlite', now });
    const page = await history.list({});
    expect(page.entries.map((e) => [e.callId, e.outcome])).toEqual([
      ['ongoing', null],
      ['before', 'answered'],
    ]);
    // The call goes on after the engine's restart and ends normally.
    t += 3000;
    await history.record(report('ongoing', 'connected'));
    t += 4000;
    const ended = await history.record(report('ongoing', 'ended', { reason: 'Aufgelegt' }));
    expect(ended).toMatchObject({ outcome: 'answered', durationMs: 4000 });
  });

  it('enforces retention: the newest N, nothing older than the age limit, stale open calls closed', async () => {
    await history.close();
    history = await CallHistory.open({
      dataDir: dir,
      driver: 'sqlite',
      now,
      log: logger.scope('history'),
      retention: { maxEntries: 3, maxAgeDays: 10 },
    });
    for (const id of ['r1', 'r2', 'r3', 'r4']) await call(history, id);
    expect((await history.list({})).entries.map((e) => e.callId)).toEqual(['r4', 'r3', 'r2']);
    await history.record(report('stale', 'ringing'));
    t += 25 * 3_600_000; // a day later: the ringing call's end never came
    await call(history, 'r5');
    const { entries } = await history.list({});
    expect(entries.map((e) => e.callId)).toEqual(['r5', 'stale', 'r4']);
    expect(entries[1]).toMatchObject({
      outcome: 'failed',
      reason: 'end_never_reported',
    });
    t += 11 * 86_400_000;
    await call(history, 'r6');
    expect((await history.list({})).entries.map((e) => e.callId)).toEqual(['r6']);
    expect(logs.some((l) => /retention: \d+ old calls deleted/.test(l.message))).toBe(true);
  });
});

describe('deriveOutcome', () => {
  it('reads the phone’s reasons', () => {
    const incoming = (reason: string) =>
      deriveOutcome({ direction: 'incoming', answered: false, reason });
    const outgoing = (reason: string) =>
      deriveOutcome({ direction: 'outgoing', answered: false, reason });
    expect(incoming('Besetzt: zweiter Anruf abgewiesen / busy: second call refused (486)')).toBe(
      'missed',
    );
    expect(
      incoming('Kein gemeinsamer Audio-Codec / no common codec (opus); abgewiesen mit 488'),
    ).toBe('failed');
    expect(outgoing('Anruf abgebrochen / cancelled (487)')).toBe('cancelled');
    expect(outgoing('Nicht erreichbar / unavailable (480)')).toBe('failed');
    expect(outgoing('Abgelehnt / declined (603)')).toBe('declined');
    expect(
      deriveOutcome({ direction: 'incoming', answered: true, reason: 'weitergeleitet an 2001' }),
    ).toBe('transferred');
  });
});

describe('CallHistory on PGlite (the same SQL as a PostgreSQL server)', () => {
  it('stores, searches, filters, pages and prunes', async () => {
    const pg = await CallHistory.open({
      driver: 'pglite',
      now,
      retention: { maxEntries: 3 },
    });
    try {
      expect(pg.dialect).toBe('postgres');
      await call(pg, 'p1', { remote: '+49 30 1234567', remoteName: 'Erika Mustermann' });
      await call(pg, 'p2', { direction: 'outgoing', answered: false, reason: 'Besetzt (486)' });
      await call(pg, 'p3', { handledBy: 'bot' });
      await call(pg, 'p4', { remote: '100%', answered: false, reason: 'Anrufer hat aufgelegt' });
      const all = await pg.list({});
      expect(all.entries.map((e) => e.callId)).toEqual(['p4', 'p3', 'p2']);
      expect(all.total).toBe(3);
      expect(all.entries[2]).toMatchObject({ outcome: 'busy', durationMs: null });
      expect(all.entries[1]).toMatchObject({ handledBy: 'bot', durationMs: 30_000 });
      expect((await pg.list({ search: '100%' })).entries.map((e) => e.callId)).toEqual(['p4']);
      expect((await pg.list({ search: 'ANRUFER', outcome: 'busy' })).total).toBe(1);
      expect((await pg.list({ limit: 1, offset: 1 })).entries.map((e) => e.callId)).toEqual(['p3']);
    } finally {
      await pg.close();
    }
  }, 60_000);
});
