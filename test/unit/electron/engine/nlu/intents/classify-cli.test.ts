import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../../../../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const cli = path.join(root, 'electron', 'engine', 'nlu', 'classify-cli.ts');

interface Answer {
  text: string;
  intent: string;
  confidence: number;
  error?: string;
}

let child: ChildProcessWithoutNullStreams | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

function start(): {
  send(line: string): void;
  next(): Promise<Answer>;
  end(): Promise<number | null>;
} {
  const proc = spawn(tsx, [cli], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  child = proc;
  const lines = readline.createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  return {
    send: (line) => proc.stdin.write(`${line}\n`),
    next: async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error('classify-cli ended early');
      return JSON.parse(String(value)) as Answer;
    },
    end: () =>
      new Promise((resolve) => {
        proc.on('close', resolve);
        proc.stdin.end();
      }),
  };
}

describe('classify-cli', () => {
  it('answers each line as soon as it is read (streaming)', async () => {
    const cliProcess = start();
    cliProcess.send(JSON.stringify({ text: 'wann kommt das bürger geld' }));
    expect(await cliProcess.next()).toEqual({
      text: 'wann kommt das bürger geld',
      intent: 'payment_date',
      confidence: expect.any(Number),
    });
    cliProcess.send(JSON.stringify({ text: 'Ich will nicht mehr leben.' }));
    expect(await cliProcess.next()).toMatchObject({ intent: 'crisis' });
    expect(await cliProcess.end()).toBe(0);
  }, 20_000);

  it('keeps one answer per line, in order, also for malformed lines', async () => {
    const cliProcess = start();
    const inputs = [
      JSON.stringify({ text: 'Mein Strom wurde abgestellt.' }),
      'this is not json',
      JSON.stringify({ txt: 'no text field' }),
      JSON.stringify({ text: '' }),
      'null',
      '',
      JSON.stringify({ text: 'Ich möchte Widerspruch einlegen.' }),
      JSON.stringify({ text: 'x'.repeat(10_000) }),
    ];
    for (const line of inputs) cliProcess.send(line);
    const answers: Answer[] = [];
    for (let i = 0; i < inputs.length; i++) answers.push(await cliProcess.next());
    expect(answers.map((answer) => answer.intent)).toEqual([
      'emergency',
      'other',
      'other',
      'other',
      'other',
      'other',
      'objection',
      'other',
    ]);
    expect(answers[1]).toMatchObject({
      text: 'this is not json',
      confidence: 0,
      error: expect.any(String),
    });
    expect(answers[2]).toMatchObject({ confidence: 0, error: expect.any(String) });
    expect(answers[3]).toEqual({ text: '', intent: 'other', confidence: 0 });
    expect(answers[5]).toMatchObject({ confidence: 0, error: expect.any(String) });
    expect(await cliProcess.end()).toBe(0);
  }, 20_000);
});
