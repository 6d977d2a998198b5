import { Rng } from './rng';
import { domainKind, type Domain, type ParamValue, type SearchSpace, type TrialParams } from './space';

/** How a sweep picks the next trial's values. */
export const STRATEGIES = ['grid', 'random', 'tpe'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** A finished trial as the strategies see it: its values and its score (higher is better; -Infinity: failed). */
export interface Observation {
  params: TrialParams;
  score: number;
}

/** Draws one value from a domain's prior (log-uniform on a log scale). */
export function sampleDomain(d: Domain, rng: Rng): ParamValue {
  if ('choice' in d) return d.choice[rng.int(d.choice.length)];
  if ('intUniform' in d) return d.intUniform[0] + rng.int(d.intUniform[1] - d.intUniform[0] + 1);
  if ('logUniform' in d) return Math.exp(Math.log(d.logUniform[0]) + rng.next() * (Math.log(d.logUniform[1]) - Math.log(d.logUniform[0])));
  return d.uniform[0] + rng.next() * (d.uniform[1] - d.uniform[0]);
}

export function randomParams(space: SearchSpace, rng: Rng): TrialParams {
  return Object.fromEntries(Object.entries(space).map(([k, d]) => [k, sampleDomain(d, rng)]));
}

// ---------------------------------------------------------------- grid

/** A domain's grid values: every choice; `points` evenly spaced values of a range (geometric for logUniform). */
export function gridValues(d: Domain, points: number): ParamValue[] {
  if ('choice' in d) return d.choice;
  const [lo, hi] = domainRange(d);
  if ('intUniform' in d) {
    if (hi - lo + 1 <= points) return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    return [...new Set(Array.from({ length: points }, (_, i) => Math.round(lo + ((hi - lo) * i) / (points - 1))))];
  }
  if ('logUniform' in d) return Array.from({ length: points }, (_, i) => +Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / (points - 1)).toPrecision(6));
  return Array.from({ length: points }, (_, i) => +(lo + ((hi - lo) * i) / (points - 1)).toPrecision(6));
}

const domainRange = (d: Exclude<Domain, { choice: unknown }>): [number, number] => ('logUniform' in d ? d.logUniform : 'uniform' in d ? d.uniform : d.intUniform);

/**
 * The grid of a space for a budget of `trials`: ranges get the fewest points per axis (2 to 10) that give at
 * least `trials` points in all, so a budget as big as the grid covers it entirely. Points in mixed-radix order.
 */
export function gridPoints(space: SearchSpace, trials: number): TrialParams[] {
  const keys = Object.keys(space);
  let axes: ParamValue[][] = [];
  for (let points = 2; points <= 10; points++) {
    axes = keys.map((k) => gridValues(space[k], points));
    if (axes.reduce((n, a) => n * a.length, 1) >= trials || keys.every((k) => domainKind(space[k]) === 'choice')) break;
  }
  const total = axes.reduce((n, a) => n * a.length, 1);
  const out: TrialParams[] = [];
  for (let i = 0; i < Math.min(total, 100_000); i++) {
    let rest = i;
    const values: ParamValue[] = new Array(keys.length);
    for (let k = keys.length - 1; k >= 0; k--) {
      values[k] = axes[k][rest % axes[k].length];
      rest = Math.floor(rest / axes[k].length);
    }
    out.push(Object.fromEntries(keys.map((key, k) => [key, values[k]])));
  }
  return out;
}

// ---------------------------------------------------------------- TPE

export interface TpeOptions {
  /** Random trials before the model is used. */
  startup: number;
  /** Fraction of the observations that form the "good" density l(x). */
  gamma: number;
  /** Candidates drawn from l(x) per parameter; the one with the largest l(x)/g(x) wins. */
  candidates: number;
}

export const TPE_DEFAULTS: TpeOptions = { startup: 10, gamma: 0.15, candidates: 24 };

/** The TPE start-up for a budget: a third of the trials, at least 3, at most 10. */
export const tpeStartup = (trials: number): number => Math.min(10, Math.max(3, Math.floor(trials / 3)));

interface Parzen {
  mus: number[];
  sigmas: number[];
  weights: number[];
  lo: number;
  hi: number;
}

const SQRT2 = Math.SQRT2;
function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7).
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
const cdf = (x: number, mu: number, sigma: number): number => 0.5 * (1 + erf((x - mu) / (sigma * SQRT2)));

/**
 * Hyperopt's adaptive Parzen estimator on [lo, hi]: a Gaussian at each observation plus one for the prior
 * (centre, width of the range), each as wide as its larger gap to a neighbour, truncated to the range.
 */
function parzen(xs: number[], lo: number, hi: number): Parzen {
  const priorMu = (lo + hi) / 2;
  const span = hi - lo;
  const pts = [...xs.map((x) => ({ x, prior: false })), { x: priorMu, prior: true }].sort((a, b) => a.x - b.x);
  const minSigma = span / Math.min(100, 1 + pts.length);
  const mus: number[] = [];
  const sigmas: number[] = [];
  for (let i = 0; i < pts.length; i++) {
    const left = i > 0 ? pts[i].x - pts[i - 1].x : pts[i].x - lo;
    const right = i < pts.length - 1 ? pts[i + 1].x - pts[i].x : hi - pts[i].x;
    mus.push(pts[i].x);
    sigmas.push(pts[i].prior ? span : Math.min(span, Math.max(minSigma, left, right)));
  }
  return { mus, sigmas, weights: mus.map(() => 1 / mus.length), lo, hi };
}

function parzenPdf(p: Parzen, x: number): number {
  let s = 0;
  for (let i = 0; i < p.mus.length; i++) {
    const z = (x - p.mus[i]) / p.sigmas[i];
    const mass = cdf(p.hi, p.mus[i], p.sigmas[i]) - cdf(p.lo, p.mus[i], p.sigmas[i]);
    s += (p.weights[i] * Math.exp(-0.5 * z * z)) / (p.sigmas[i] * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
  }
  return s;
}

function parzenSample(p: Parzen, rng: Rng): number {
  const i = rng.int(p.mus.length);
  for (let tries = 0; tries < 100; tries++) {
    const x = p.mus[i] + p.sigmas[i] * rng.normal();
    if (x >= p.lo && x <= p.hi) return x;
  }
  return Math.min(p.hi, Math.max(p.lo, p.mus[i]));
}

/** The parameter on TPE's working scale: log for logUniform, ±0.5 around integers. */
function toScale(d: Exclude<Domain, { choice: unknown }>): { lo: number; hi: number; to(v: number): number; from(x: number): number } {
  if ('logUniform' in d) return { lo: Math.log(d.logUniform[0]), hi: Math.log(d.logUniform[1]), to: Math.log, from: Math.exp };
  if ('intUniform' in d) {
    const [lo, hi] = d.intUniform;
    return { lo: lo - 0.5, hi: hi + 0.5, to: (v) => v, from: (x) => Math.min(hi, Math.max(lo, Math.round(x))) };
  }
  return { lo: d.uniform[0], hi: d.uniform[1], to: (v) => v, from: (x) => x };
}

/** Splits the observations into the best ⌈γ·n⌉ ("good") and the rest. */
function split(history: Observation[], gamma: number): { good: Observation[]; bad: Observation[] } {
  const sorted = [...history].sort((a, b) => b.score - a.score);
  const n = Math.max(1, Math.ceil(gamma * sorted.length));
  return { good: sorted.slice(0, n), bad: sorted.slice(n) };
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), independent per parameter as in hyperopt: after
 * `startup` random trials, each parameter's value maximises l(x)/g(x) over candidates drawn from l(x), where l
 * models the values of the best γ fraction of trials and g those of the rest.
 */
export function tpeSuggest(space: SearchSpace, history: Observation[], rng: Rng, options: Partial<TpeOptions> = {}): TrialParams {
  const o = { ...TPE_DEFAULTS, ...options };
  if (history.length < Math.max(2, o.startup)) return randomParams(space, rng);
  const { good, bad } = split(history, o.gamma);
  const out: TrialParams = {};
  for (const [key, d] of Object.entries(space)) {
    const goodVals = good.map((h) => h.params[key]).filter((v) => v !== undefined);
    const badVals = bad.map((h) => h.params[key]).filter((v) => v !== undefined);
    if ('choice' in d) {
      // Counts plus one per choice (the prior), so unseen choices keep a chance.
      const idx = (vals: ParamValue[]) => d.choice.map((c) => 1 + vals.filter((v) => v === c).length);
      const l = idx(goodVals);
      const g = idx(badVals);
      const lSum = l.reduce((a, b) => a + b, 0);
      const gSum = g.reduce((a, b) => a + b, 0);
      let best = 0;
      let bestRatio = -Infinity;
      for (let c = 0; c < o.candidates; c++) {
        let r = rng.next() * lSum;
        let i = 0;
        while (i < l.length - 1 && r >= l[i]) r -= l[i++];
        const ratio = l[i] / lSum / (g[i] / gSum);
        if (ratio > bestRatio) [best, bestRatio] = [i, ratio];
      }
      out[key] = d.choice[best];
      continue;
    }
    const s = toScale(d);
    const l = parzen(goodVals.map((v) => s.to(v as number)), s.lo, s.hi);
    const g = parzen(badVals.map((v) => s.to(v as number)), s.lo, s.hi);
    let best = parzenSample(l, rng);
    let bestRatio = -Infinity;
    for (let c = 0; c < o.candidates; c++) {
      const x = parzenSample(l, rng);
      const ratio = Math.log(parzenPdf(l, x)) - Math.log(parzenPdf(g, x));
      if (ratio > bestRatio) [best, bestRatio] = [x, ratio];
    }
    out[key] = s.from(best);
  }
  return out;
}

const gridCache = new WeakMap<SearchSpace, { trials: number; points: TrialParams[] }>();

/**
 * The next trial's values: grid takes the `index`-th grid point (undefined when the grid is done), random
 * draws from the priors, TPE models the finished trials. `rng` must be the sweep's, seeded per trial.
 */
export function suggest(strategy: StrategyName, space: SearchSpace, o: { index: number; trials: number; history: Observation[]; rng: Rng }): TrialParams | undefined {
  if (strategy === 'grid') {
    const cached = gridCache.get(space);
    const points = cached?.trials === o.trials ? cached.points : gridPoints(space, o.trials);
    gridCache.set(space, { trials: o.trials, points });
    return points[o.index];
  }
  if (strategy === 'random') return randomParams(space, o.rng);
  return tpeSuggest(space, o.history, o.rng, { startup: tpeStartup(o.trials) });
}
