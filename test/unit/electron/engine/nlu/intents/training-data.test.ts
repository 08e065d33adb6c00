import { describe, expect, it } from 'vitest';
import { parseLabelledLines } from '../../../../../../electron/engine/nlu/intents/training-data';

describe('parseLabelledLines', () => {
  it('reads JSON lines and skips blank lines', () => {
    expect(
      parseLabelledLines('{"text":"hallo","intent":"other"}\n\n{"text":"ja","intent":"other"}\n'),
    ).toEqual([
      { text: 'hallo', intent: 'other' },
      { text: 'ja', intent: 'other' },
    ]);
  });

  it.each([
    ['{"text":"hallo","intent":"greeting"}', 'unknown intent'],
    ['{"text":"","intent":"other"}', 'no text'],
    ['not json', 'not JSON'],
  ])('rejects %j with the line number', (line, message) => {
    expect(() => parseLabelledLines(line, 'test.jsonl')).toThrow(`test.jsonl:1: ${message}`);
  });
});
