import type { Domain, ParamValue } from '../../shared/sweeps/space';

/** One axis of the parallel-coordinates plot: where a value sits, from 0 (bottom) to 1 (top), and its tick labels. */
export interface Axis {
  key: string;
  pos(v: ParamValue | undefined): number | undefined;
  ticks: { at: number; label: string }[];
}

const short = (v: number): string => (Math.abs(v) >= 1e-2 && Math.abs(v) < 1e4 ? String(+v.toPrecision(3)) : v.toExponential(0));

export function paramAxis(key: string, d: Domain): Axis {
  if ('choice' in d) {
    const n = d.choice.length;
    const at = (i: number) => (n === 1 ? 0.5 : i / (n - 1));
    return { key, pos: (v) => (d.choice.indexOf(v as never) >= 0 ? at(d.choice.indexOf(v as never)) : undefined), ticks: d.choice.map((c, i) => ({ at: at(i), label: String(c) })) };
  }
  const [lo, hi] = 'logUniform' in d ? d.logUniform : 'uniform' in d ? d.uniform : d.intUniform;
  const log = 'logUniform' in d;
  const f = (x: number) => (log ? (Math.log(x) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (x - lo) / (hi - lo));
  const ticks = log ? Array.from({ length: Math.floor(Math.log10(hi)) - Math.ceil(Math.log10(lo)) + 1 }, (_, i) => 10 ** (Math.ceil(Math.log10(lo)) + i)) : [lo, (lo + hi) / 2, hi];
  return { key, pos: (v) => (typeof v === 'number' ? Math.min(1, Math.max(0, f(v))) : undefined), ticks: (ticks.length > 7 ? ticks.filter((_, i) => i % 2 === 0) : ticks).map((t) => ({ at: f(t), label: short(t) })) };
}

export function metricAxis(key: string, values: number[]): Axis {
  const finite = values.filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hi = finite.length ? Math.max(...finite) : 1;
  const span = hi - lo || 1;
  return { key, pos: (v) => (typeof v === 'number' && Number.isFinite(v) ? (v - lo) / span : undefined), ticks: [lo, (lo + hi) / 2, hi].map((t) => ({ at: (t - lo) / span, label: short(t) })) };
}
