import { describe, expect, it } from 'vitest';
import { WorkerOutput } from '../../../../../electron/engine/speech/worker-output';

const chunk = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('WorkerOutput', () => {
  it('gives whole, non-blank lines, a line cut between chunks once it ends', () => {
    const output = new WorkerOutput();
    const lines: string[] = [];
    const onData = output.lines((line) => lines.push(line));
    onData(chunk('LOG (VoskAPI:Rec'));
    expect(lines).toEqual([]);
    onData(chunk('ognizer) loaded\n\n  \nsecond'));
    onData(chunk(' line\nunfinished'));
    expect(lines).toEqual(['LOG (VoskAPI:Recognizer) loaded', 'second line']);
  });

  it("explains a death by libvosk's last complaint on either stream, trimmed", () => {
    const output = new WorkerOutput();
    const stdout = output.lines(() => {});
    const stderr = output.lines(() => {});
    expect(output.lastComplaint()).toBe('');
    stderr(chunk('ERROR (VoskAPI:Model) first\n'));
    stdout(
      chunk('  ASSERTION_FAILED (VoskAPI:Decode():x.cc:42) Assertion failed: (frame < 10)  \n'),
    );
    stderr(chunk('LOG (VoskAPI:Decode) nothing wrong\n'));
    expect(output.lastComplaint()).toBe(
      ': ASSERTION_FAILED (VoskAPI:Decode():x.cc:42) Assertion failed: (frame < 10)',
    );
    // A new worker: the old one's complaints are not its own.
    output.clear();
    expect(output.lastComplaint()).toBe('');
  });

  it('remembers only the last 20 lines', () => {
    const output = new WorkerOutput();
    const onData = output.lines(() => {});
    onData(chunk('ERROR early\n'));
    onData(chunk('LOG (VoskAPI) fine\n'.repeat(20)));
    expect(output.lastComplaint()).toBe('');
  });
});
