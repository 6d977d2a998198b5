import type { StudyProcedure } from './toolkit';
import { sparsityStudy } from './sparsity';

/** The training loops of the study experiments (ExperimentDoc.study), by experiment id. */
export const STUDY_PROCEDURES: Readonly<Record<string, StudyProcedure>> = {
  'l1-sparsity': sparsityStudy,
};

export type { StudyContext, StudyOutput, StudyProcedure } from './toolkit';
