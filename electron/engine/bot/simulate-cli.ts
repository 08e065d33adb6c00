/**
 * `npm run -s simulate -- --cases CASES.json --script SCRIPT.json`: one bot
 * conversation as JSON lines on stdout (formats: simulator.ts and the README).
 * Bad input gives one JSON line {"error": …} and exit code 2, never a stack.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { simulate, SimulatorInputError } from './simulator';

function fail(message: string, code = 2): never {
  process.stdout.write(JSON.stringify({ error: message }) + '\n');
  process.exit(code);
}

function readJson(path: string | undefined, what: string): unknown {
  if (!path) fail(`--${what} FILE is required`);
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    fail(`cannot read ${what} file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    fail(`${what} file ${path} is not JSON: ${(error as Error).message}`);
  }
}

let values: { cases?: string; script?: string };
try {
  ({ values } = parseArgs({ options: { cases: { type: 'string' }, script: { type: 'string' } } }));
} catch (error) {
  fail((error as Error).message);
}
const cases = readJson(values.cases, 'cases');
const script = readJson(values.script, 'script');
simulate({ cases, script, write: (line) => process.stdout.write(JSON.stringify(line) + '\n') })
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    if (error instanceof SimulatorInputError) fail(error.message);
    fail(`simulation failed: ${error instanceof Error ? error.message : String(error)}`, 1);
  });
