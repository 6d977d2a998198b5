import { ExperimentRunner, type ExperimentRuns } from '../../../../src/main/experiments/runner';
import type { ConfigPatch, ExperimentResult } from '../../../../src/shared/experiments/types';

/** Study experiments train in-process: the runner never starts a lab run, so the RunManager is a stub. */
const noRuns: ExperimentRuns = {
  onEvent: () => () => undefined,
  startRun: () => Promise.reject(new Error('a study must not start lab runs')),
  controlRun: () => Promise.reject(new Error('not used')),
  runDetail: () => Promise.reject(new Error('not used')),
};

/** Runs a study on a fixed seed with a small config (the verdict tests' scale). */
export function runStudy(id: string, overrides: ConfigPatch, seed = 42, variants?: string[]): Promise<ExperimentResult> {
  return new ExperimentRunner(noRuns).run(id, { seed, overrides, ...(variants ? { variants } : {}) });
}
