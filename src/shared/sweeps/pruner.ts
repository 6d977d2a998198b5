/**
 * Early stopping of hopeless trials. Scores: higher is better.
 * - median: the median stopping rule (Golovin et al. 2017, Google Vizier; Optuna's MedianPruner): after
 *   `warmupEpochs`, a trial whose best score so far is below the median of the other trials' best scores at the same
 *   epoch is stopped, once at least `startupTrials` others reached that epoch.
 * - asha: asynchronous successive halving (Li et al. 2020; Optuna's SuccessiveHalvingPruner): rungs at epochs
 *   r·η^k (r = `warmupEpochs`, η = `reductionFactor`); at a rung a trial goes on only when its best score so far is
 *   among the top 1/η of every trial that reached the rung (itself included; with fewer than η, the best only).
 */
export interface PrunerConfig {
  kind: 'median' | 'asha' | 'none';
  startupTrials: number;
  warmupEpochs: number;
  /** ASHA's η: the share of trials promoted at each rung is 1/η. */
  reductionFactor?: number;
}

export const DEFAULT_PRUNER: PrunerConfig = { kind: 'median', startupTrials: 3, warmupEpochs: 1 };
export const DEFAULT_REDUCTION_FACTOR = 3;

const bestUpTo = (curve: readonly number[], epoch: number): number => Math.max(...curve.slice(0, epoch).map((v) => (Number.isFinite(v) ? v : -Infinity)));

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Whether `epoch` is an ASHA rung: r·η^k for some k ≥ 0. */
export function isRung(epoch: number, r: number, eta: number): boolean {
  for (let e = r; e <= epoch; e *= eta) if (e === epoch) return true;
  return false;
}

/**
 * Whether to stop a trial after its latest epoch (`curve`: its score per epoch so far); `others`: the curves of other
 * trials. `median` is the bar it was held to: the peers' median (median rule) or the rung's promotion cut-off (ASHA).
 */
export function shouldPrune(curve: readonly number[], others: readonly (readonly number[])[], cfg: PrunerConfig): { prune: boolean; median?: number; best?: number } {
  const epoch = curve.length;
  if (cfg.kind === 'none' || epoch === 0 || epoch < cfg.warmupEpochs) return { prune: false };
  const peers = others.filter((c) => c.length >= epoch).map((c) => bestUpTo(c, epoch));
  const best = bestUpTo(curve, epoch);
  if (cfg.kind === 'asha') {
    const eta = Math.max(2, cfg.reductionFactor ?? DEFAULT_REDUCTION_FACTOR);
    if (!isRung(epoch, cfg.warmupEpochs, eta) || peers.length === 0) return { prune: false };
    const ranked = [...peers, best].sort((a, b) => b - a);
    const cutoff = ranked[Math.max(0, Math.floor(ranked.length / eta) - 1)];
    return { prune: best < cutoff, median: cutoff, best };
  }
  if (peers.length < cfg.startupTrials) return { prune: false };
  const m = median(peers);
  return { prune: best < m, median: m, best };
}
