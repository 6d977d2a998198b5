import type { AttentionImage, AttentionMaps } from '../../shared/attention';
import type { PredictArgs, PredictResult } from '../../shared/predict';
import { LabError, type AugmentPreview, type DatasetPreview, type DatasetSummary, type LabEvent, type RunDetail, type RunSummary, type SampleImages, type TorchHostInfo } from '../../shared/api';

/** Arguments of `startRun` after validation (LAB_ARGS fills `config` with `{}`). */
export interface StartRunArgs {
  project: string;
  dataset: string;
  config: Record<string, unknown>;
}

export interface ControlRunArgs {
  id: string;
  action: 'pause' | 'resume' | 'stop';
}

/**
 * What LabService needs from the training side: datasets, runs and their telemetry.
 * The engine implements it; LabService only delegates and forwards events.
 */
export interface RunManager {
  listDatasets(): Promise<DatasetSummary[]>;
  startRun(args: StartRunArgs): Promise<RunSummary>;
  controlRun(args: ControlRunArgs): Promise<RunSummary>;
  listRuns(): Promise<RunSummary[]>;
  /** Renames a run and/or sets its tags; absent: `no-engine`. */
  updateRun?(args: { id: string; name?: string; tags?: string[] }): Promise<RunSummary>;
  datasetPreview(args: { id: string; perClass: number; initFrom?: string }): Promise<DatasetPreview>;
  augmentPreview(args: { id: string; augment: Record<string, unknown>; seed: number; count: number; variants: number; initFrom?: string }): Promise<AugmentPreview>;
  runDetail(args: { id: string }): Promise<RunDetail>;
  runSamples(args: { id: string; indices: number[] }): Promise<SampleImages>;
  /** A run's checkpoint on one image (src/main/engine/predict); absent: `no-engine`. */
  predict?(args: PredictArgs): Promise<PredictResult>;
  /** Attention maps of a run's checkpoint for one image (src/main/engine/inspect/attention.ts); absent: `no-engine`. */
  attentionMaps?(args: { id: string; image: AttentionImage; layer?: number; head?: number }): Promise<AttentionMaps>;
  /** Telemetry and run-status events; returns the unsubscribe function. */
  onEvent(listener: (event: LabEvent) => void): () => void;
  /** Which backend a run would use, e.g. 'wasm (XNNPACK, our kernels)'; shown in hostInfo. */
  backendName?(): Promise<string | undefined>;
  /** The PyTorch engine's discovery (src/main/engine/torch/discover.ts); shown in hostInfo. */
  torchInfo?(): Promise<TorchHostInfo>;
  /** Stops workers and flushes logs when the host shuts down. */
  dispose?(): Promise<void>;
}

export const NO_ENGINE_MESSAGE = 'the training engine is not connected in this host';

/** The RunManager used until the engine is wired in: every call fails with a clear `no-engine` error. */
export function createDisconnectedRunManager(): RunManager {
  const fail = (): Promise<never> => Promise.reject(new LabError(NO_ENGINE_MESSAGE, 'no-engine'));
  return {
    listDatasets: fail,
    startRun: fail,
    controlRun: fail,
    listRuns: fail,
    datasetPreview: fail,
    augmentPreview: fail,
    runDetail: fail,
    runSamples: fail,
    onEvent: () => () => undefined,
  };
}
