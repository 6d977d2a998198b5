import type { LabEvent } from '../../../shared/api';
import type { RunRecord } from '../../../shared/runs/runRecord';
import type { TorchDiscovery } from '../torch/discover';

/**
 * Messages between the run registry (main thread) and a run's training worker. The graph is the host's restored
 * and validated one (the worker does not restore or check it again).
 */
export interface WorkerStart extends Pick<RunRecord, 'dataset' | 'config' | 'graph'> {
  runId: RunRecord['id'];
  runDir: string;
  /** Resume from this checkpoint folder. */
  resumeFrom?: string;
  /** The last step the run logged before (a crash can log steps after its last checkpoint). */
  loggedStep?: number;
  /** Why the run is resumed, and from which checkpoint (names the resume event). */
  resumed?: { after: 'stop' | 'interrupted'; checkpoint: string };
  /** The host's PyTorch discovery, so that a run does not look again. */
  torch?: TorchDiscovery;
}

export type ToWorker = { type: 'pause' } | { type: 'resume' } | { type: 'stop' };

/**
 * The worker has loaded the data and built the model: what run.json learns from it. `stepsPerEpoch` is counted
 * here once, and the dashboards use it as is; `config`: the settings as the worker resolved them (detection: the
 * k-means anchors); `graph`: the graph adapted to the dataset, as trained; `data`: shape, classes, normalisation.
 */
export type WorkerReady = { type: 'ready' } & Required<Pick<RunRecord, 'backend' | 'engine' | 'fallbackOps' | 'stepsPerEpoch' | 'graph' | 'data'>> & Partial<Pick<RunRecord, 'config'>>;

export type FromWorker =
  | WorkerReady
  | { type: 'events'; events: LabEvent[] }
  | { type: 'checkpoint'; name: string; reason: 'epoch' | 'best' | 'final'; epoch: number; step: number; metric: number }
  | { type: 'done'; reason: 'completed' | 'stopped' | 'early-stopped'; epoch: number; step: number; metrics: Record<string, number> }
  | { type: 'failed'; message: string; step?: number };
