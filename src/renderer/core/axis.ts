import { formatTick } from './format';

/**
 * A readable y axis for loss-like series, whatever the values: a diverging run's steps reach 1e20 while the
 * rest stay near 2. The top is a round number above the values; when a few values dwarf the rest (more than
 * CLAMP_RATIO × the 90th percentile) the axis stops at a round number above the percentile and the chart says
 * how many points it clipped. Non-finite values (NaN, ∞) never set the domain. The width fits the tick labels.
 */
export interface ValueAxis {
  domain: [number, number];
  /** How many finite values lie above the domain (drawn clipped at the top edge). */
  clipped: number;
  /** The largest finite value, for the clipping note. */
  max: number;
  /** Values that are NaN or ±∞ (the chart cannot draw them). */
  nonFinite: number;
  /** Pixels for the tick labels. */
  width: number;
  /** Round tick values from the bottom to the top of the domain (0, 0.5, 1 … 2.5), so labels are exact. */
  ticks: number[];
}

export const CLAMP_RATIO = 20;

/** The smallest 1, 2, 2.5, 5 × 10^k at or above v (v > 0). */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v * (1 - 1e-9)) return m * p;
  return 10 * p;
}

function quantile(sorted: readonly number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** Tick-label width in pixels for labels such as "7.9e20" (≈ 6.5 px per character at the axis font size). */
export function axisWidth(labels: readonly string[], min = 40): number {
  return Math.max(min, Math.ceil(Math.max(0, ...labels.map((l) => l.length)) * 6.5 + 12));
}

export function valueAxis(values: readonly (number | null | undefined)[], opts: { floor?: number } = {}): ValueAxis {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const nonFinite = values.filter((v) => typeof v === 'number' && !Number.isFinite(v)).length;
  if (finite.length === 0) return { domain: [opts.floor ?? 0, 1], clipped: 0, max: NaN, nonFinite, width: 40, ticks: axisTicks(opts.floor ?? 0, 1) };
  const sorted = [...finite].sort((a, b) => a - b);
  const lo = Math.min(opts.floor ?? 0, sorted[0]);
  const max = sorted[sorted.length - 1];
  const p90 = quantile(sorted, 0.9);
  const clamp = p90 > 0 && max > CLAMP_RATIO * p90;
  const top = niceCeil(clamp ? 2 * p90 : max);
  const clipped = clamp ? finite.filter((v) => v > top).length : 0;
  const bottom = lo < 0 ? -niceCeil(-lo) : lo;
  const hi = top > bottom ? top : bottom + 1;
  const ticks = axisTicks(bottom, hi);
  return { domain: [bottom, hi], clipped, max, nonFinite, width: axisWidth(ticks.map(formatTick)), ticks };
}

/** Ticks every 1, 2, 2.5 or 5 × 10^k from lo to hi (at most ~6), anchored at 0. */
export function axisTicks(lo: number, hi: number): number[] {
  const step = niceCeil((hi - lo) / 5);
  const out: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) out.push(+t.toPrecision(12));
  return out;
}

/** "3 points above 50 are clipped (largest 7.9e20); 2 are NaN/∞ and not drawn." — or '' when nothing is hidden. */
export function axisNote(a: ValueAxis): string {
  const parts: string[] = [];
  if (a.clipped > 0) parts.push(`${a.clipped} point${a.clipped === 1 ? '' : 's'} above ${formatTick(a.domain[1])} ${a.clipped === 1 ? 'is' : 'are'} clipped (largest ${formatTick(a.max)})`);
  if (a.nonFinite > 0) parts.push(`${a.nonFinite} ${a.nonFinite === 1 ? 'is' : 'are'} NaN/∞ and not drawn`);
  return parts.length ? `${parts.join('; ')}.` : '';
}
