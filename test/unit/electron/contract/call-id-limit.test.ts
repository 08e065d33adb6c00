/**
 * One Call-ID limit everywhere in the contract, and the helpers both sides
 * use to keep to the limits of what the far end chose.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CALL_ID_MAX_LENGTH,
  clampText,
  requestSchemas,
  stableHash,
  type Method,
} from '../../../../electron/contract';

/** Every `callId` parameter a request takes, by method (phone.report: its call kind). */
function callIdParams(): [string, z.ZodType][] {
  const found: [string, z.ZodType][] = [];
  for (const [method, { params }] of Object.entries(requestSchemas) as [
    Method,
    { params: z.ZodType },
  ][]) {
    const objects =
      params instanceof z.ZodDiscriminatedUnion
        ? (params.options as z.ZodType[])
        : params instanceof z.ZodPipe
          ? [params.in as z.ZodType]
          : [params];
    for (const object of objects) {
      if (!(object instanceof z.ZodObject)) continue;
      const callId = (object.shape as Record<string, z.ZodType>).callId;
      if (callId) found.push([method, callId]);
    }
  }
  return found;
}

describe('the Call-ID limit', () => {
  it('is one limit for every request that names a call', () => {
    const params = callIdParams();
    expect(params.map(([method]) => method)).toEqual(
      expect.arrayContaining([
        'phone.report',
        'transcript.get',
        'bot.start',
        'bot.dtmf',
        'bot.takeOver',
        'bot.end',
        'practice.end',
        'assist.suggestions',
        'case.context',
        'case.verify',
        'wrapup.save',
        'voice.say',
        'audio.play',
      ]),
    );
    for (const [method, schema] of params) {
      expect(schema.safeParse('c'.repeat(CALL_ID_MAX_LENGTH)).success, method).toBe(true);
      expect(schema.safeParse('c'.repeat(CALL_ID_MAX_LENGTH + 1)).success, method).toBe(false);
      expect(schema.safeParse('').success, method).toBe(false);
    }
  });

  it('takes a phone report of a 250-character Call-ID', () => {
    const report = {
      kind: 'call',
      callId: 'a'.repeat(250),
      state: 'ended',
      direction: 'incoming',
      remote: '0611',
    };
    expect(requestSchemas['phone.report'].params.safeParse(report).success).toBe(true);
  });
});

describe('clampText', () => {
  it('keeps short text and cuts long text to the limit', () => {
    expect(clampText('Anna', 10)).toBe('Anna');
    expect(clampText('x'.repeat(600), 500)).toHaveLength(500);
  });

  it('never splits a surrogate pair', () => {
    const text = `${'a'.repeat(9)}😀tail`;
    const cut = clampText(text, 10);
    expect(cut).toBe('a'.repeat(9));
    expect(clampText(text, 11)).toBe(`${'a'.repeat(9)}😀`);
  });
});

describe('stableHash', () => {
  it('is 16 hex digits, the same for the same text and different for texts that begin alike', () => {
    const a = `${'x'.repeat(300)}a`;
    const b = `${'x'.repeat(300)}b`;
    expect(stableHash(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(stableHash(a)).toBe(stableHash(`${'x'.repeat(300)}a`));
    expect(stableHash(a)).not.toBe(stableHash(b));
    // FNV-1a 64 of the empty text is its offset basis.
    expect(stableHash('')).toBe('cbf29ce484222325');
  });
});
