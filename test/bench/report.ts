/** One benchmark result line: {"bench","metric","value","unit"} on stdout. */
export function report(bench: string, metric: string, value: number, unit: string): void {
  process.stdout.write(
    JSON.stringify({ bench, metric, value: Math.round(value * 1000) / 1000, unit }) + '\n',
  );
}

export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
