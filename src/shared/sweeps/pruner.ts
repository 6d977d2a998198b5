/**
 * The median stopping rule (Golovin et al. 2017, Google Vizier; Optuna's MedianPruner): after `warmupEpochs`,
 * a trial whose best score so far is below the median of the other trials' best scores at the same epoch is
 * stopped, once at least `startupTrials` others reached that epoch. Scores: higher is better.
 */
export interface PrunerConfig {
  kind: 'median' | 'none';
  startupTrials: number;
  warmupEpochs: number;
}

export const DEFAULT_PRUNER: PrunerConfig = { kind: 'median', startupTrials: 3, warmupEpochs: 1 };

const bestUpTo = (curve: readonly number[], epoch: number): number => Math.max(...curve.slice(0, epoch).map((v) => (Number.isFinite(v) ? v : -Infinity)));

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Whether to stop a trial after its latest epoch (`curve`: its score per epoch so far); `others`: the curves of other trials. */
export function shouldPrune(curve: readonly number[], others: readonly (readonly number[])[], cfg: PrunerConfig): { prune: boolean; median?: number; best?: number } {
  const epoch = curve.length;
  if (cfg.kind === 'none' || epoch === 0 || epoch < cfg.warmupEpochs) return { prune: false };
  const peers = others.filter((c) => c.length >= epoch).map((c) => bestUpTo(c, epoch));
  if (peers.length < cfg.startupTrials) return { prune: false };
  const m = median(peers);
  const best = bestUpTo(curve, epoch);
  return { prune: best < m, median: m, best };
}
