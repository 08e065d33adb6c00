// `npm run bench -- NAME`: runs test/bench/NAME.bench.ts (through tsx, so the
// benchmarks reuse the TypeScript test bed as it is). Benchmarks print JSON
// lines {"bench","metric","value","unit"} on stdout; progress goes to stderr.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace('.bench.ts', ''));
const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !available.includes(n))) {
  console.error(`usage: npm run bench -- NAME   (NAME: ${available.join(', ')})`);
  process.exit(2);
}
register();
for (const name of names) {
  const module = await import(pathToFileURL(path.join(here, `${name}.bench.ts`)).href);
  await module.run();
}
process.exit(0);
