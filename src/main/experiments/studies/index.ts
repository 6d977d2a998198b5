import type { StudyProcedure } from './toolkit';
import { activationStudy } from './activations';
import { bnModesStudy } from './batchnormModes';
import { anchorsStudy } from './detectionAnchors';
import { hardNegativesStudy } from './detectionHardNegatives';
import { nmsStudy } from './detectionNms';
import { imbalanceStudy } from './imbalance';
import { outputStudy } from './outputs';
import { sparsityStudy } from './sparsity';
import { thresholdStudy } from './thresholds';
import { forgettingStudy, transferStudy } from './transfer';

/** The training loops of the study experiments (ExperimentDoc.study), by experiment id. */
export const STUDY_PROCEDURES: Readonly<Record<string, StudyProcedure>> = {
  'bn-train-eval': bnModesStudy,
  'class-imbalance': imbalanceStudy,
  'dead-relu': activationStudy,
  'detection-nms': nmsStudy,
  'detection-anchors': anchorsStudy,
  'detection-hard-negatives': hardNegativesStudy,
  'l1-sparsity': sparsityStudy,
  'softmax-vs-sigmoid': outputStudy,
  'threshold-metrics': thresholdStudy,
  'transfer-learning': transferStudy,
  'catastrophic-forgetting': forgettingStudy,
};

export type { StudyContext, StudyOutput, StudyProcedure } from './toolkit';
