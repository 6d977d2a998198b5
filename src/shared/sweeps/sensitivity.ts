import type { SearchSpace, TrialParams } from './space';

/**
 * How strongly the metric depends on each parameter, from the finished trials: for numbers (ranges and numeric
 * choices) Spearman's rank correlation ρ between the value and the metric (sign: higher value → higher metric);
 * for other choices the correlation ratio η on the metric's ranks (0: no difference between the choices, 1: the
 * choice decides the rank). `strength` is |ρ| or η, comparable across parameters.
 */
export interface Sensitivity {
  key: string;
  method: 'spearman' | 'eta';
  value: number;
  strength: number;
  trials: number;
}

/** Average ranks (1-based), ties share their mean rank. */
export function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

function pearson(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

export const spearman = (a: readonly number[], b: readonly number[]): number => pearson(ranks(a), ranks(b));

/** Correlation ratio η of `ys` grouped by `groups`. */
export function correlationRatio(groups: readonly string[], ys: readonly number[]): number {
  const mean = ys.reduce((s, y) => s + y, 0) / ys.length;
  const total = ys.reduce((s, y) => s + (y - mean) ** 2, 0);
  if (total === 0) return 0;
  const by = new Map<string, number[]>();
  groups.forEach((g, i) => (by.get(g) ?? by.set(g, []).get(g)!).push(ys[i]));
  let between = 0;
  for (const vals of by.values()) {
    const m = vals.reduce((s, y) => s + y, 0) / vals.length;
    between += vals.length * (m - mean) ** 2;
  }
  return Math.sqrt(between / total);
}

export function sensitivities(space: SearchSpace, trials: readonly { params: TrialParams; value: number }[]): Sensitivity[] {
  const done = trials.filter((t) => Number.isFinite(t.value));
  return Object.entries(space).map(([key, d]) => {
    const rows = done.filter((t) => t.params[key] !== undefined);
    const ys = rows.map((t) => t.value);
    const numeric = !('choice' in d) || d.choice.every((c) => typeof c === 'number');
    if (rows.length < 3) return { key, method: numeric ? 'spearman' : 'eta', value: 0, strength: 0, trials: rows.length };
    if (numeric) {
      const rho = spearman(rows.map((t) => Number(t.params[key])), ys);
      return { key, method: 'spearman', value: rho, strength: Math.abs(rho), trials: rows.length };
    }
    const eta = correlationRatio(rows.map((t) => String(t.params[key])), ranks(ys));
    return { key, method: 'eta', value: eta, strength: eta, trials: rows.length };
  });
}
