/** Median and 95th percentile over the last N samples (e.g. frame latencies). */
export class RollingStats {
  private readonly values: Float64Array;
  private count = 0;
  private next = 0;

  constructor(capacity = 3000) {
    this.values = new Float64Array(capacity);
  }

  add(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
    this.count = Math.min(this.count + 1, this.values.length);
  }

  summary(): { count: number; medianMs: number | null; p95Ms: number | null } {
    if (this.count === 0) return { count: 0, medianMs: null, p95Ms: null };
    const sorted = Array.from(this.values.subarray(0, this.count)).sort((a, b) => a - b);
    return { count: this.count, medianMs: quantile(sorted, 0.5), p95Ms: quantile(sorted, 0.95) };
  }

  reset(): void {
    this.count = 0;
    this.next = 0;
  }
}

/** Linear-interpolated quantile of an ascending array. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (pos - lo);
}
