import { bnHighLr } from './catalog/bnHighLr';
import { activationsStudy } from './catalog/activationsStudy';
import { bnTrainEval } from './catalog/bnTrainEval';
import { forgetting } from './catalog/forgetting';
import { classImbalance } from './catalog/classImbalance';
import { gradientFlow } from './catalog/gradientFlow';
import { initialization } from './catalog/initialization';
import { l1Sparsity } from './catalog/l1Sparsity';
import { labelSmoothing } from './catalog/labelSmoothing';
import { optimizers } from './catalog/optimizers';
import { overfitting } from './catalog/overfitting';
import { receptiveField } from './catalog/receptiveField';
import { transferLearning } from './catalog/transferLearning';
import { thresholdMetrics } from './catalog/thresholdMetrics';
import { detectionNms } from './catalog/detectionNms';
import { detectionAnchors } from './catalog/detectionAnchors';
import { detectionHardNegatives } from './catalog/detectionHardNegatives';
import { separableConv } from './catalog/separableConv';
import { softmaxSigmoid } from './catalog/softmaxSigmoid';
import { warmupCosine } from './catalog/warmupCosine';
import type { ExperimentDoc } from './types';

export * from './types';
export { describeExperiment, graphCost, variantGraph, variantProjects } from './describe';
export { deepMerge, EXPERIMENT_DEFAULTS, experimentConfig, resolveConfig } from './config';
export { VariantCollector, confidenceOf } from './collect';

/** The guided experiments, in gallery order. */
export const EXPERIMENTS: readonly ExperimentDoc[] = [gradientFlow, bnHighLr, optimizers, overfitting, initialization, labelSmoothing, warmupCosine, separableConv, receptiveField, classImbalance, thresholdMetrics, activationsStudy, softmaxSigmoid, bnTrainEval, l1Sparsity, detectionNms, detectionAnchors, detectionHardNegatives, transferLearning, forgetting];

export const experimentById = (id: string): ExperimentDoc | undefined => EXPERIMENTS.find((e) => e.id === id);
export { USER_EXPERIMENT_FORMAT, makeUserExperiment, slugify, userExperimentSchema, userExperimentVerdict, type UserExperiment } from './user';
export { RUN_METRICS, RUN_METRIC_KEYS, runMetric } from './measures';
export { receptiveFieldOf, receptiveFields, rfSquare, type RfLayer } from './receptiveField';
export { isCompleteResult, lastVerdict, summarizeResult, type ExperimentResultSummary, type LastVerdict } from './summary';
