import { gradientFlow } from './catalog/gradientFlow';
import type { ExperimentDoc } from './types';

export * from './types';
export { describeExperiment, graphCost, variantGraph, variantProjects } from './describe';
export { resolveConfig } from './config';
export { VariantCollector, confidenceOf } from './collect';

/** The guided experiments, in gallery order. */
export const EXPERIMENTS: readonly ExperimentDoc[] = [gradientFlow];

export const experimentById = (id: string): ExperimentDoc | undefined => EXPERIMENTS.find((e) => e.id === id);
