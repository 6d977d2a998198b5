/**
 * What an exported model expects and returns, beyond its tensor shapes: the class names in output order and the
 * preprocessing its training data went through. Every weights export carries it three ways: `labels.txt` (one
 * class name per line, line k = output k), `model-info.json` (everything below, machine-readable; see
 * `ModelInfoFile`), and a section of its README. The ONNX model also has it in its `metadata_props`.
 */
import type { GraphDoc, Task } from '../../../shared/graph/types';
import type { TrainedData } from '../../../shared/runs/runRecord';

/** What the run was trained on; `data` is absent for runs from before run.json recorded it and whose dataset is gone. */
export interface ModelSource {
  /** The run's dataset id (a built-in name or `folder:<path>`). */
  dataset: string;
  data?: TrainedData;
  /** The shorter side is resized to this, then centre-cropped to the input size (a model folder of torchvision weights); absent: stretched. */
  resizeShorter?: number;
}

export type TensorLayout = 'NHWC' | 'NCHW';

/** model-info.json. */
export interface ModelInfoFile {
  format: 'netsmith.model-info';
  version: 1;
  name: string;
  task: Task;
  dataset: string;
  input: { layout: TensorLayout; shape: (number | 'batch')[]; dtype: 'float32'; height: number; width: number; channels: number; channelOrder: 'RGB' | 'grey' };
  /** Output k is classes[k] (segmentation: class 0 is background). Empty when unknown. */
  classes: string[];
  /** Null when unknown (a run from before this was recorded, whose dataset can no longer be loaded). */
  preprocessing: {
    resize: string;
    /** torchvision's eval transform: the shorter side to this first, then a centre crop to height×width. Absent: stretched. */
    resizeShorter?: number;
    /** Applied first: pixel values 0..255 times `scale`. */
    scale: number;
    /** Per channel, in channel order, applied after `scale`: (x − mean) / std. */
    mean: number[];
    std: number[];
    formula: string;
  } | null;
  outputs: string;
}

const OUTPUTS: Record<Task, string> = {
  classification: 'logits, one per class (softmax gives probabilities)',
  detection: 'the raw YOLO head map of each scale: per anchor (tx, ty, tw, th, objectness, class logits); decoding and NMS are not in the model',
  segmentation: 'per-pixel class logits (argmax over the class axis gives the mask)',
};

/** The dataset of a model exported without a run (the engine's API). */
export const UNKNOWN = 'unknown';

const round = (v: number): number => Math.round(v * 1e6) / 1e6;

export function modelInfo(graph: GraphDoc, source: ModelSource, layout: TensorLayout): ModelInfoFile {
  const [h, w, c] = graph.meta.input.shape;
  const norm = source.data?.norm;
  return {
    format: 'netsmith.model-info',
    version: 1,
    name: graph.meta.name || 'model',
    task: graph.meta.task,
    dataset: source.dataset,
    input: { layout, shape: layout === 'NHWC' ? ['batch', h, w, c] : ['batch', c, h, w], dtype: 'float32', height: h, width: w, channels: c, channelOrder: c === 1 ? 'grey' : 'RGB' },
    classes: source.data?.classes ?? [],
    preprocessing: norm
      ? {
          resize: source.resizeShorter
            ? `shorter side to ${source.resizeShorter} (bilinear, antialiased; the aspect ratio is kept), then a centre crop to ${w}×${h} (width×height): torchvision's Resize(${source.resizeShorter}) + CenterCrop(${h === w ? h : `[${h}, ${w}]`})${c === 1 ? ', then grey (ITU-R 601 luma: 0.299 R + 0.587 G + 0.114 B)' : ''}`
            : `bilinear, stretched to ${w}×${h} (width×height; the aspect ratio is not kept, nothing is cropped)${c === 1 ? ', then grey (ITU-R 601 luma: 0.299 R + 0.587 G + 0.114 B)' : ''}`,
          ...(source.resizeShorter ? { resizeShorter: source.resizeShorter } : {}),
          scale: 1 / 255,
          mean: norm.mean.map(round),
          std: norm.std.map(round),
          formula: 'x[c] = (pixel[c] / 255 - mean[c]) / std[c]',
        }
      : null,
    outputs: OUTPUTS[graph.meta.task],
  };
}

/** labels.txt: line k is the name of output k. */
export const labelsText = (info: ModelInfoFile): string => (info.classes.length ? info.classes.join('\n') + '\n' : '');

const list = (v: number[]): string => `[${v.map((x) => String(x)).join(', ')}]`;

/** The README section: input, preprocessing, classes. */
export function readmeSection(info: ModelInfoFile): string[] {
  const { input, preprocessing: p } = info;
  const lines = [
    '## Input and preprocessing',
    '',
    `${info.dataset === UNKNOWN ? '' : `Trained on \`${info.dataset}\`. `}Input: ${input.width}×${input.height} ${input.channelOrder} images (${input.channels} channel${input.channels === 1 ? '' : 's'}), float32 [${input.shape.join(', ')}] (${input.layout}).`,
  ];
  if (p) {
    lines.push(
      '',
      `1. Resize: ${p.resize}.`,
      `2. Scale: pixel values 0..255 × 1/255 (to 0..1).`,
      `3. Normalise per channel: \`${p.formula}\` with mean = ${list(p.mean)}, std = ${list(p.std)} (the training split's statistics).`,
    );
  } else {
    lines.push('', "The preprocessing is not known: the run is older than Netsmith's record of its dataset statistics, and its dataset can no longer be loaded.");
  }
  lines.push('', `Outputs: ${info.outputs}.`);
  if (info.classes.length) {
    const shown = info.classes.slice(0, 20).map((name, k) => `${k}: ${name}`).join(', ');
    lines.push('', `Classes (${info.classes.length}, in output order; also in labels.txt): ${shown}${info.classes.length > 20 ? ', …' : ''}.`);
  }
  lines.push('', 'model-info.json holds all of this in machine-readable form.', '');
  return lines;
}

/** The files every weights export carries beside the model. */
export function infoFiles(info: ModelInfoFile): Record<string, string> {
  return {
    'model-info.json': JSON.stringify(info, null, 2) + '\n',
    ...(info.classes.length ? { 'labels.txt': labelsText(info) } : {}),
  };
}

/** ONNX metadata_props: each item as its own key (JSON for arrays), plus the whole file under `netsmith.model_info`. */
export function onnxMetadata(info: ModelInfoFile): Record<string, string> {
  const p = info.preprocessing;
  return {
    task: info.task,
    dataset: info.dataset,
    classes: JSON.stringify(info.classes),
    input_layout: info.input.layout,
    input_shape: JSON.stringify(info.input.shape),
    input_size: `${info.input.width}x${info.input.height}`,
    channel_order: info.input.channelOrder,
    ...(p ? { resize: p.resize, scale: String(p.scale), mean: JSON.stringify(p.mean), std: JSON.stringify(p.std), preprocessing: p.formula } : {}),
    'netsmith.model_info': JSON.stringify(info),
  };
}
