import type { StudyProcedure } from './toolkit';
import { imbalanceStudy } from './imbalance';
import { sparsityStudy } from './sparsity';

/** The training loops of the study experiments (ExperimentDoc.study), by experiment id. */
export const STUDY_PROCEDURES: Readonly<Record<string, StudyProcedure>> = {
  'class-imbalance': imbalanceStudy,
  'l1-sparsity': sparsityStudy,
};

export type { StudyContext, StudyOutput, StudyProcedure } from './toolkit';
