/**
 * Bounded buffers for telemetry (plain TypeScript, no DOM: the unit tests run them under node).
 *
 * - RingBuffer: the last N items.
 * - DecimatingSeries: a whole run's scalar series in at most `capacity` points. When full, neighbouring
 *   pairs are merged (averaged; the step of the later one is kept) and from then on `stride` incoming points
 *   are averaged into one, so the series always covers the run from its first step to its latest at an
 *   even resolution, in constant memory (typed arrays, one per column).
 */

export class RingBuffer<T> {
  private items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be ≥ 1');
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    const i = (this.start + this.count) % this.capacity;
    this.items[i] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  at(i: number): T | undefined {
    if (i < 0) i += this.count;
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.start + i) % this.capacity];
  }

  last(): T | undefined {
    return this.at(-1);
  }

  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity]!);
    return out;
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.capacity);
    this.start = 0;
    this.count = 0;
  }
}

export class DecimatingSeries<K extends string> {
  /** x (the step) and one column per key; NaN marks a missing value. */
  readonly x: Float64Array;
  readonly cols: Record<K, Float64Array>;
  private n = 0;
  /** Incoming points merged into one stored point. */
  private stride = 1;
  /** The point being accumulated (when stride > 1). */
  private acc: { x: number; sums: Float64Array; counts: Float64Array; n: number };
  /** Bumped on every change, for cheap memoisation by the views. */
  version = 0;

  constructor(
    readonly keys: readonly K[],
    readonly capacity = 2048,
  ) {
    if (capacity < 4 || capacity % 2) throw new RangeError('capacity must be an even number ≥ 4');
    this.x = new Float64Array(capacity);
    this.cols = Object.fromEntries(keys.map((k) => [k, new Float64Array(capacity)])) as Record<K, Float64Array>;
    this.acc = { x: 0, sums: new Float64Array(keys.length), counts: new Float64Array(keys.length), n: 0 };
  }

  get length(): number {
    return this.n + (this.acc.n > 0 ? 1 : 0);
  }

  /** How many incoming points one stored point stands for now. */
  get resolution(): number {
    return this.stride;
  }

  push(x: number, values: Partial<Record<K, number | undefined>>): void {
    const a = this.acc;
    a.x = x;
    this.keys.forEach((k, i) => {
      const v = values[k];
      if (v !== undefined && Number.isFinite(v)) {
        a.sums[i] += v;
        a.counts[i]++;
      }
    });
    a.n++;
    if (a.n >= this.stride) this.commit();
    this.version++;
  }

  private commit(): void {
    const a = this.acc;
    if (a.n === 0) return;
    if (this.n === this.capacity) this.halve();
    this.x[this.n] = a.x;
    this.keys.forEach((k, i) => (this.cols[k][this.n] = a.counts[i] > 0 ? a.sums[i] / a.counts[i] : NaN));
    this.n++;
    a.sums.fill(0);
    a.counts.fill(0);
    a.n = 0;
  }

  /** Merges neighbouring pairs: half the points, twice the stride. */
  private halve(): void {
    const half = this.n >> 1;
    for (let j = 0; j < half; j++) {
      this.x[j] = this.x[2 * j + 1];
      for (const k of this.keys) {
        const c = this.cols[k];
        const p = c[2 * j];
        const q = c[2 * j + 1];
        c[j] = Number.isNaN(p) ? q : Number.isNaN(q) ? p : (p + q) / 2;
      }
    }
    this.n = half;
    this.stride *= 2;
  }

  /** The stored points plus the one being accumulated, as rows (for charts). */
  rows(): ({ x: number } & Record<K, number>)[] {
    const out: ({ x: number } & Record<K, number>)[] = [];
    for (let i = 0; i < this.n; i++) {
      const r = { x: this.x[i] } as { x: number } & Record<K, number>;
      for (const k of this.keys) (r as Record<string, number>)[k] = this.cols[k][i];
      out.push(r);
    }
    const a = this.acc;
    if (a.n > 0) {
      const r = { x: a.x } as { x: number } & Record<K, number>;
      this.keys.forEach((k, i) => ((r as Record<string, number>)[k] = a.counts[i] > 0 ? a.sums[i] / a.counts[i] : NaN));
      out.push(r);
    }
    return out;
  }

  bytes(): number {
    return this.x.byteLength * (1 + this.keys.length) + this.acc.sums.byteLength * 2;
  }

  clear(): void {
    this.n = 0;
    this.stride = 1;
    this.acc.sums.fill(0);
    this.acc.counts.fill(0);
    this.acc.n = 0;
    this.version++;
  }
}

/** Exponential moving average with TensorBoard's debiasing (the first points are not pulled towards 0). */
export function ema(values: readonly number[], weight: number): number[] {
  const out: number[] = new Array(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    n++;
    out[i] = last / (1 - weight ** n);
  }
  return out;
}

/**
 * At most `max` rows for drawing: keeps the first and last and, per bucket, the point farthest from the
 * bucket's mean on `key` (so spikes survive), in order.
 */
export function thin<T extends Record<string, number>>(rows: readonly T[], max: number, key: keyof T): T[] {
  if (rows.length <= max || max < 3) return rows.slice();
  const out: T[] = [rows[0]];
  const buckets = max - 2;
  const size = (rows.length - 2) / buckets;
  for (let b = 0; b < buckets; b++) {
    const lo = 1 + Math.floor(b * size);
    const hi = Math.min(rows.length - 1, 1 + Math.floor((b + 1) * size));
    if (hi <= lo) continue;
    let mean = 0;
    let m = 0;
    for (let i = lo; i < hi; i++) {
      const v = rows[i][key] as number;
      if (Number.isFinite(v)) {
        mean += v;
        m++;
      }
    }
    mean = m ? mean / m : 0;
    let pick = lo;
    let far = -1;
    for (let i = lo; i < hi; i++) {
      const d = Math.abs((rows[i][key] as number) - mean);
      if (d > far) {
        far = d;
        pick = i;
      }
    }
    out.push(rows[pick]);
  }
  out.push(rows[rows.length - 1]);
  return out;
}
