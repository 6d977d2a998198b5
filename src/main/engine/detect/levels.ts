import type * as tf from '@tensorflow/tfjs';
import { yoloChannels } from '../../../blocks/yolo_head/definition';
import { kmeansAnchors, type Size } from './anchors';

/** One YOLO head (one scale) as the detection code sees it. */
export interface DetectionLevel {
  /** Index into the model's outputs. */
  output: number;
  stride: number;
  gridH: number;
  gridW: number;
  classes: number;
  /** Anchor sizes [w, h] in input pixels; empty for an anchor-free head (one prediction per cell). */
  anchors: [number, number][];
}

/** Input image size in pixels. */
export interface ImageSize {
  h: number;
  w: number;
}

/** Predictions per cell: A anchors, or 1 when anchor-free. */
export const perCell = (l: DetectionLevel): number => Math.max(1, l.anchors.length);
/** Predictions per image at this level. */
export const levelSize = (l: DetectionLevel): number => l.gridH * l.gridW * perCell(l);

export interface HeadSpec {
  output: number;
  classes: number;
  /** 0 = anchor-free. */
  anchors: number;
  stride: number;
  gridH: number;
  gridW: number;
}

interface YoloOpts {
  classes: number;
  anchors: number;
  stride: number;
}

/** The YOLO heads among the model's outputs, with the parameters their layers were built with. */
export function headSpecs(model: tf.LayersModel, image: ImageSize): HeadSpec[] {
  return model.outputs.map((out, output) => {
    const [, gridH, gridW, channels] = out.shape as number[];
    const opts = (out.sourceLayer as unknown as { opts?: Partial<YoloOpts> }).opts;
    if (!opts || typeof opts.classes !== 'number' || typeof opts.anchors !== 'number' || out.shape.length !== 4) {
      throw new Error(`output ${output} ('${out.sourceLayer.name}') is not a YOLO head: detection needs det/yolo_head outputs`);
    }
    if (yoloChannels(opts.classes, opts.anchors) !== channels) throw new Error(`output ${output} has ${channels} channels, not ${yoloChannels(opts.classes, opts.anchors)}`);
    // The stride parameter is what the decoder uses, so it must agree with the map size (the block checks it too).
    const stride = opts.stride ?? Math.round(image.h / gridH);
    return { output, classes: opts.classes, anchors: opts.anchors, stride, gridH, gridW };
  });
}

/**
 * Gives every anchor-based head its anchor sizes: the configured list, or k-means (1 − IoU) on the training
 * boxes. The sizes, sorted by area, go to the heads from the finest stride up (YOLOv3: small anchors on the
 * fine map).
 */
export function makeLevels(heads: readonly HeadSpec[], boxSizes: readonly Size[], configured?: readonly (readonly [number, number])[]): DetectionLevel[] {
  const order = heads.map((_, i) => i).sort((a, b) => heads[a].stride - heads[b].stride || a - b);
  const total = heads.reduce((s, h) => s + h.anchors, 0);
  let sizes: [number, number][];
  if (configured) {
    if (configured.length !== total) throw new Error(`${configured.length} anchors configured but the heads have ${total}`);
    sizes = configured.map(([w, h]) => [w, h]);
  } else if (boxSizes.length > 0) sizes = kmeansAnchors(boxSizes, total);
  else sizes = order.flatMap((i) => defaultAnchors(heads[i].stride, heads[i].anchors));
  const levels: DetectionLevel[] = heads.map((h) => ({ output: h.output, stride: h.stride, gridH: h.gridH, gridW: h.gridW, classes: h.classes, anchors: [] }));
  let next = 0;
  for (const i of order) {
    levels[i].anchors = sizes.slice(next, next + heads[i].anchors);
    next += heads[i].anchors;
  }
  return levels;
}

/** Squares of 2–8 strides, for a dataset without boxes. */
function defaultAnchors(stride: number, count: number): [number, number][] {
  return Array.from({ length: count }, (_, i) => {
    const s = stride * 2 ** (1 + (2 * i) / Math.max(1, count));
    return [s, s];
  });
}

/**
 * Per prediction j = (gy·W + gx)·A + a of one image at this level: [gx, gy, anchor w, anchor h] (anchor
 * size 0 when anchor-free). The decoder broadcasts it over the batch.
 */
export function priorTable(l: DetectionLevel): Float32Array {
  const a = perCell(l);
  const out = new Float32Array(levelSize(l) * 4);
  for (let gy = 0; gy < l.gridH; gy++)
    for (let gx = 0; gx < l.gridW; gx++)
      for (let k = 0; k < a; k++) {
        const j = (gy * l.gridW + gx) * a + k;
        const [aw, ah] = l.anchors[k] ?? [0, 0];
        out.set([gx, gy, aw, ah], j * 4);
      }
  return out;
}
