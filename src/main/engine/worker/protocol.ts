import type { LabEvent } from '../../../shared/api';
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
  /** The host's PyTorch discovery, so that a run does not look again. */
  torch?: TorchDiscovery;
}

export type ToWorker = { type: 'pause' } | { type: 'resume' } | { type: 'stop' };

export type FromWorker =
  /** `config`: the settings as the worker resolved them (detection: the k-means anchors), for run.json. */
  | { type: 'ready'; backend: string; fallbackOps: string[]; epochs: number; stepsPerEpoch: number; config?: Record<string, unknown> }
  | { type: 'events'; events: LabEvent[] }
  | { type: 'checkpoint'; name: string; reason: 'epoch' | 'best' | 'final'; epoch: number; step: number; metric: number }
  | { type: 'done'; reason: 'completed' | 'stopped' | 'early-stopped'; epoch: number; step: number; metrics: Record<string, number> }
  | { type: 'failed'; message: string; step?: number };
