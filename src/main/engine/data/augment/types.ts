import type { Box, Task } from '../types';

/** An HWC float image. Augmentations work in 0..1 pixel units; normalisation comes after them. */
export interface Img {
  h: number;
  w: number;
  c: number;
  data: Float32Array;
}

/** What augmentations transform. They never mutate their inputs. */
export interface Sample {
  image: Img;
  /** Hard class id (for a mixed sample: the heaviest class). */
  label: number;
  /** Class weights summing to 1, set by mixup/cutmix/mosaic; absent means one-hot `label`. */
  soft?: Float32Array;
  /** Detection boxes, relative YOLO format; they follow every geometric transform. */
  boxes?: Box[];
  /** Segmentation class ids, H*W; they follow every geometric transform (nearest neighbour). */
  mask?: Uint8Array;
}

export interface AugContext {
  task: Task;
  numClasses: number;
}

/** How pixels outside the source image are filled by geometric transforms. */
export type Fill = 'zero' | 'edge' | 'reflect';

/** Pixel rectangle [x, x+w) × [y, y+h) of the source. */
export interface PixelRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Clips a pixel rectangle to the image; may return an empty one. */
export function clipRect(r: PixelRect, h: number, w: number): PixelRect {
  const x0 = Math.max(0, Math.min(w, r.x));
  const y0 = Math.max(0, Math.min(h, r.y));
  const x1 = Math.max(x0, Math.min(w, r.x + r.w));
  const y1 = Math.max(y0, Math.min(h, r.y + r.h));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

export function img(h: number, w: number, c: number, data = new Float32Array(h * w * c)): Img {
  if (data.length !== h * w * c) throw new Error(`image data has ${data.length} values, expected ${h}×${w}×${c}`);
  return { h, w, c, data };
}

/** A shallow copy with a new image; boxes/masks/labels are shared (they are never mutated). */
export function withImage(s: Sample, image: Img): Sample {
  return { ...s, image };
}

/** The sample's class weights: `soft`, or one-hot of `label` (all zero for label -1). */
export function labelWeights(s: Sample, numClasses: number): Float32Array {
  if (s.soft) return s.soft;
  const w = new Float32Array(numClasses);
  if (s.label >= 0 && s.label < numClasses) w[s.label] = 1;
  return w;
}

export function argmax(a: ArrayLike<number>): number {
  let best = -1;
  for (let i = 0; i < a.length; i++) if (best < 0 || a[i] > a[best]) best = i;
  return best;
}
