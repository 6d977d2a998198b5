import type { LabEvent } from '../../../shared/api';
import type { TrainedData } from '../../service/runs/record';
import type { TorchDiscovery } from '../torch/discover';

/** Messages between the run registry (main thread) and a run's training worker. */
export interface WorkerStart {
  runId: string;
  runDir: string;
  graph: unknown;
  dataset: string;
  config: Record<string, unknown>;
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

export type FromWorker =
  /**
   * `config`: the settings as the worker resolved them (detection: the k-means anchors); `graph`: the graph adapted
   * to the dataset, as trained; `data`: the dataset's shape, classes and normalisation. All three go to run.json.
   */
  | { type: 'ready'; backend: string; fallbackOps: string[]; epochs: number; stepsPerEpoch: number; config?: Record<string, unknown>; graph?: unknown; data?: TrainedData }
  | { type: 'events'; events: LabEvent[] }
  | { type: 'checkpoint'; name: string; reason: 'epoch' | 'best' | 'final'; epoch: number; step: number; metric: number }
  | { type: 'done'; reason: 'completed' | 'stopped' | 'early-stopped'; epoch: number; step: number; metrics: Record<string, number> }
  | { type: 'failed'; message: string; step?: number };
