import { z } from 'zod';
import { checkpointNameSchema, runIdSchema } from './ids';

/**
 * Trying a trained model on one image: what the `predict` API takes and returns. The host loads the run's
 * checkpoint, preprocesses the image exactly as the run's dataset was (size, channels, per-channel
 * normalisation), and answers with the prediction, a Grad-CAM heatmap and a layer's feature maps.
 */

/** A PNG or JPEG as a data URL (or bare base64). ~37 MB of base64 ≈ a 27 MB file. */
const dataUrl = z.string().min(1).max(40_000_000);

export const predictArgsSchema = z.object({
  id: runIdSchema,
  image: z
    .object({
      dataUrl: dataUrl.optional(),
      /** The file's name, for messages. */
      name: z.string().max(500).optional(),
      /** A validation image of the run's dataset instead of an upload. */
      sampleIndex: z.number().int().min(0).optional(),
    })
    .refine((i) => (i.dataUrl === undefined) !== (i.sampleIndex === undefined), 'give either an image (dataUrl) or a validation sample index'),
  /** Grad-CAM class; default: the top prediction. */
  classIndex: z.number().int().min(0).optional(),
  /** Grad-CAM layer; default: the last spatial layer before the global pooling / flatten. */
  gradcamLayer: z.string().min(1).max(300).optional(),
  /** Feature-map layer; default: the first convolution. */
  layer: z.string().min(1).max(300).optional(),
  /** Checkpoint folder name; default: best, else last. */
  checkpoint: checkpointNameSchema.optional(),
  /** Classes listed (classification). */
  top: z.number().int().min(1).max(50).default(5),
  /** Feature-map channels shown. */
  channels: z.number().int().min(1).max(256).default(32),
});
export type PredictArgs = z.input<typeof predictArgsSchema>;

/** A layer one can pick for Grad-CAM or the feature maps: its output is a spatial map [H, W, C]. */
export interface PredictLayer {
  /** The model's layer name (the block's label, sanitised). */
  name: string;
  /** Block type, e.g. `core/conv2d`. */
  type: string;
  /** Output shape without the batch axis. */
  shape: number[];
}

export interface PredictClass {
  index: number;
  name: string;
  probability: number;
}

export interface PredictBox {
  cls: number;
  name: string;
  score: number;
  /** Centre x, centre y, width, height relative to the image (0..1). */
  box: [number, number, number, number];
}

export interface GradCam {
  classIndex: number;
  className: string;
  layer: string;
  /** The class-discriminative map at the layer's resolution, rows × cols, normalised to 0..1 (row-major). */
  heat: number[];
  rows: number;
  cols: number;
  /** The map upsampled to the displayed image and coloured (PNG data URL, opaque). */
  heatmap: string;
  /** The heatmap blended over the image at 50% (PNG data URL). */
  overlay: string;
  /** Why the map is flat, e.g. every gradient was zero. */
  note?: string;
}

export interface FeatureMaps {
  layer: string;
  /** The layer's output [H, W, C]. */
  shape: number[];
  /** Channels drawn (the first ones). */
  shown: number;
  /** Grid of tiles, each channel min-max normalised (PNG data URL). */
  grid: string;
  cols: number;
  rows: number;
  /** Per channel drawn: [min, max] of its activations. */
  ranges: [number, number][];
}

export interface PredictResult {
  runId: string;
  checkpoint: string;
  task: 'classification' | 'detection' | 'segmentation';
  /** The model's input [H, W, C]. */
  inputShape: [number, number, number];
  /** What the model saw (resized to its input, in colour when the input is), enlarged for display: PNG data URL. */
  image: string;
  /** Size of `image` in pixels (boxes and heatmaps are drawn over it). */
  display: { width: number; height: number };
  source: { name?: string; width: number; height: number; sampleIndex?: number; label?: number; labelName?: string };
  classes: string[];
  /** Classification: the top classes, most probable first. */
  top?: PredictClass[];
  /** Detection: boxes after NMS whose score reaches `scoreThreshold`. */
  boxes?: PredictBox[];
  scoreThreshold?: number;
  /** Segmentation: the predicted class map, coloured (PNG data URL). */
  mask?: string;
  gradcam?: GradCam;
  /** Why there is no Grad-CAM (e.g. a network without a spatial layer). */
  gradcamNote?: string;
  featureMaps?: FeatureMaps;
  /** Spatial layers, in network order. */
  layers: PredictLayer[];
  defaultGradcamLayer?: string;
  /** The graph has attention blocks (multi-head self-attention, transformer encoders): attention maps apply. */
  attention: boolean;
  /** Milliseconds the host spent (model load included on a first call). */
  ms: number;
}
