// `npm test`: every suite, in order – lint, type check, unit tests (that is
// `npm run check`), then the build and the end-to-end suites (`npm run e2e`).
// It goes on after a failing step so one run shows everything, and closes
// with one line summing all suites: "N passed, N failed, N skipped".
// Lint and the type check count as one test each.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(root, 'test-results');
fs.mkdirSync(results, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];

function run(name, command, args) {
  const started = Date.now();
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: result.status === 0, seconds };
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

for (const [name, args] of [
  ['lint', ['run', '-s', 'lint']],
  ['types', ['run', '-s', 'typecheck']],
]) {
  const { ok, seconds } = run(name, 'npm', args);
  totals[ok ? 'passed' : 'failed']++;
  summary.push(`${name}: ${ok ? 'ok' : 'FAILED'} (${seconds} s)`);
}

const unitReport = path.join(results, 'unit-report.json');
fs.rmSync(unitReport, { force: true });
const unit = run('unit', 'npx', ['vitest', 'run']);
const u = readJson(unitReport);
if (u) {
  totals.passed += u.numPassedTests;
  totals.failed += u.numFailedTests;
  totals.skipped += (u.numPendingTests ?? 0) + (u.numTodoTests ?? 0);
  summary.push(`unit: ${u.numPassedTests} passed, ${u.numFailedTests} failed (${unit.seconds} s)`);
  if (!unit.ok && u.numFailedTests === 0) totals.failed++;
} else {
  totals.failed++;
  summary.push('unit: no report (runner failed)');
}

const build = run('build', 'npm', ['run', '-s', 'build']);
if (!build.ok) {
  totals.failed++;
  summary.push('build: FAILED – end-to-end suites not run');
} else {
  const e2eReport = path.join(results, 'e2e-report.json');
  fs.rmSync(e2eReport, { force: true });
  const e2e = run('e2e', 'npx', ['playwright', 'test']);
  const e = readJson(e2eReport);
  if (e?.stats) {
    const passed = e.stats.expected + e.stats.flaky;
    totals.passed += passed;
    totals.failed += e.stats.unexpected;
    totals.skipped += e.stats.skipped;
    summary.push(
      `e2e: ${passed} passed, ${e.stats.unexpected} failed, ${e.stats.skipped} skipped (${e2e.seconds} s)`,
    );
    if (!e2e.ok && e.stats.unexpected === 0) totals.failed++;
  } else {
    totals.failed++;
    summary.push('e2e: no report (runner failed)');
  }
}

process.stdout.write(`\n${summary.join('\n')}\n`);
process.stdout.write(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(totals.failed > 0 ? 1 : 0);
