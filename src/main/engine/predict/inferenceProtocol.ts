import type { AttentionImage, AttentionMaps } from '../../../shared/attention';
import type { PredictArgs, PredictResult } from '../../../shared/predict';

/** The inference worker's setup (workerData): where the runs are. */
export interface InferenceStart {
  runsDir: string;
}

export interface AttentionRequestArgs {
  id: string;
  image: AttentionImage;
  layer?: number;
  head?: number;
}

/** One request to the inference worker; `id` pairs it with its reply. */
export type InferenceRequest = { id: number; kind: 'predict'; args: PredictArgs } | { id: number; kind: 'attention'; args: AttentionRequestArgs };

/** The answer: the result, or the error as the lab's taxonomy has it (LabError message + code). */
export type InferenceReply =
  | { id: number; ok: true; kind: 'predict'; result: PredictResult; backend: string }
  | { id: number; ok: true; kind: 'attention'; result: AttentionMaps; backend: string }
  | { id: number; ok: false; error: { message: string; code: string } };
