/** The one registry of issued CaseRefs that both case systems use. */
import { describe, expect, it } from 'vitest';
import { CaseRefRegistry } from '../../../../../electron/engine/cases/case-ref-registry';
import { CaseAccessError, type CaseRef } from '../../../../../electron/engine/cases/case-system';

function clock(start = Date.parse('2026-03-01T09:00:00Z')) {
  let t = start;
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('CaseRefRegistry', () => {
  it('issues opaque refs that resolve to what stands behind them', () => {
    const refs = new CaseRefRegistry<{ household: string }>();
    const a = refs.issue({ household: 'H1' });
    const b = refs.issue({ household: 'H1' });
    expect(a).not.toBe(b);
    expect(a).not.toContain('H1');
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(refs.resolve(a)).toEqual({ household: 'H1' });
    expect(refs.size).toBe(2);
  });

  it('refuses an invented ref, a released one and an expired one', () => {
    const time = clock();
    const refs = new CaseRefRegistry<string>({ ttlMs: 1000, now: time.now });
    expect(() => refs.resolve('invented' as CaseRef)).toThrow(CaseAccessError);
    const released = refs.issue('H1');
    expect(refs.release(released)).toBe('H1');
    expect(refs.release(released)).toBeUndefined();
    expect(() => refs.resolve(released)).toThrow(CaseAccessError);
    const expiring = refs.issue('H2');
    time.advance(999);
    expect(refs.resolve(expiring)).toBe('H2');
    time.advance(1);
    expect(() => refs.resolve(expiring)).toThrow(/expired/);
    expect(refs.size).toBe(0);
  });

  it('ends a ref at the earlier of its TTL and the given expiry', () => {
    const time = clock();
    const refs = new CaseRefRegistry<string>({ ttlMs: 10_000, now: time.now });
    const ref = refs.issue('H1', time.now().getTime() + 500);
    time.advance(500);
    expect(() => refs.resolve(ref)).toThrow(CaseAccessError);
  });
});
