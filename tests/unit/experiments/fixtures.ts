import type { EpochPoint, LayerSummary, ProbeSummary, VariantResult } from '../../../src/shared/experiments/types';

/** Synthetic variant results for the pure verdict tests. */
export function fake(variant: string, o: Partial<Omit<VariantResult, 'epochs'>> & { epochs?: Partial<EpochPoint>[] } = {}): VariantResult {
  const epochs = (o.epochs ?? [{}]).map((e, i) => ({ epoch: i + 1, lr: 0.01, seconds: 1, trainLoss: 1, trainAccuracy: 0.5, valLoss: 1, valAccuracy: 0.5, ...e }));
  const { epochs: _e, ...rest } = o;
  return { name: variant, state: 'completed', seconds: 1, params: 1000, flops: 2000, steps: [], probes: [], valSamples: 500, ...rest, variant, epochs };
}

/** One probe whose weight layers have these gradient norms (first … head). */
export function gradProbe(norms: number[], step = 0): ProbeSummary {
  return { step, epoch: 1, layers: norms.map((g, i): LayerSummary => ({ node: `dense_${i + 1}`, layer: `dense_${i + 1}`, kind: 'weights', gradNorm: g })) };
}

/** One probe whose activation layers have these stds. */
export function actProbe(stds: number[]): ProbeSummary {
  return { step: 0, epoch: 1, layers: stds.map((s, i): LayerSummary => ({ node: `relu_${i + 1}`, layer: `relu_${i + 1}`, kind: 'activation', activation: { mean: s / 2, std: s } })) };
}

/** Validation confidences: `n` samples at confidence c, a share `acc` of them correct. */
export function confidences(n: number, c: number, acc: number): { confidence: number; correct: boolean }[] {
  return Array.from({ length: n }, (_, i) => ({ confidence: c, correct: i < Math.round(n * acc) }));
}
