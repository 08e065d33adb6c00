/**
 * A store that fails while the embedded case system verifies is the desk's
 * fault, not the caller's: it is logged and reported (the bot says the
 * system is down, the agent's screen gives the reason), never answered as
 * "not verified" — which would count as a failed attempt.
 */
import { expect, it } from 'vitest';
import { openBreakingCaseStore } from '../../../../support/breaking-case-store';

it('reports a store error during verification instead of answering "not verified", and logs it', async () => {
  const broken = await openBreakingCaseStore();
  const { store, errors } = broken;
  try {
    const audit = { who: 'bot', why: 'caller verification', callId: 'broken' };
    const right = { customerNumber: '998D00001', dateOfBirth: '1985-04-12' };
    expect((await store.verify(right, audit)).verified).toBe(true);
    // The members table goes missing under the running store (a broken disk, a bad restore).
    await broken.breakMembers();
    await expect(store.verify(right, audit)).rejects.toMatchObject({
      reason: 'case_system_unavailable',
    });
    expect(errors.some((m) => /verify: the case store failed/.test(m))).toBe(true);
    // Nothing of the caller's input is in the log.
    expect(errors.join('\n')).not.toMatch(/998D00001|1985-04-12/);
  } finally {
    await broken.dispose();
  }
}, 30_000);
