import { z } from 'zod';
import { runIdSchema } from './ids';

/** Attention maps of a trained run (LabApi.attentionMaps): what the encoders attend to for one image. */

export const attentionArgsSchema = z.object({
  id: runIdSchema,
  /** A PNG/JPEG data URL, or a validation sample of the run's dataset by index. */
  image: z
    .object({ dataUrl: z.string().min(1).max(40_000_000).optional(), sampleIndex: z.number().int().min(0).optional() })
    .refine((i) => (i.dataUrl === undefined) !== (i.sampleIndex === undefined), 'give either an image (dataUrl) or a validation sample index (sampleIndex)'),
  /** Only this attention layer (0-based); the rollout still uses all. */
  layer: z.number().int().min(0).optional(),
  /** Only this head of the returned layers. */
  head: z.number().int().min(0).optional(),
});
export type AttentionArgs = z.input<typeof attentionArgsSchema>;

/** The image to inspect: a PNG/JPEG data URL, or a validation sample of the run's dataset by index (one of them). */
export interface AttentionImage {
  dataUrl?: string;
  sampleIndex?: number;
}

export interface AttentionLayer {
  /** The layer's name in the model (the node label, e.g. `encoder.layers.encoder_layer_1`). */
  name: string;
  /** Index among the model's attention layers (0 = first). */
  index: number;
  /**
   * Per head, the attention from the query (the class token, or the mean over all tokens when there is none)
   * over the patch tokens, reshaped to the patch grid `[gridH][gridW]`. Each head's map sums to ≤ 1 (the rest
   * goes to the class token itself).
   */
  heads: number[][][];
}

export interface AttentionMaps {
  /** Patch grid `[rows, cols]` the maps are laid out on. */
  grid: [number, number];
  /** 'cls': rows of the class token; 'mean': no class token, the attention each patch receives, averaged over queries. */
  query: 'cls' | 'mean';
  /** Attention layers in model order (only the requested one when `layer` was given). */
  layers: AttentionLayer[];
  /** Total number of attention layers in the model. */
  layerCount: number;
  /**
   * Attention rollout (Abnar & Zuidema 2020) through all attention layers of the last token count: per layer the
   * mean over heads plus the identity, rows renormalised, multiplied through the layers; the query's row over the patches.
   */
  rollout: number[][];
  /** The image as the model saw it (resized to the network input), as a PNG data URL. */
  image: string;
  /** The image's true label when it is a dataset sample, and the model's prediction. */
  label?: number;
  predicted?: number;
  classes?: string[];
  checkpoint: string;
}
