/**
 * torchvision's ImageNet eval transform on an HWC uint8 image: `Resize(shorter)` (the shorter side to `shorter`, the
 * longer one scaled and truncated to an integer, as torchvision's `_compute_resized_output_size` does), then
 * `CenterCrop([outH, outW])` (offsets rounded as torchvision rounds them). The resize is the lab's PIL-style
 * antialiased bilinear (resize.ts), one axis at a time with an 8-bit image between, as PIL resamples.
 */
import { resizeUint8 } from './resize';

/** The size after `Resize(shorter)`: [height, width]. */
export function shorterSideSize(h: number, w: number, shorter: number): [number, number] {
  if (h <= w) return [shorter, Math.trunc((shorter * w) / h)];
  return [Math.trunc((shorter * h) / w), shorter];
}

/**
 * The eval transform that pretrained weights expect: `Resize(shorter)` then `CenterCrop(input)` (torchvision's
 * ImageNet one is 256 then 224×224). A model folder's preprocessing.json carries it; runs initialised from one load
 * their folder images with it.
 */
export interface EvalCrop {
  shorter: number;
  /** The [height, width] the transform was made for (the weights' input). */
  input: [number, number];
}

/**
 * The shorter side for images of `out` = [height, width]: `crop.shorter` when `out` is the weights' input, else
 * scaled by the same factor as the crop, so it keeps the same share of the image (256→224 at 224×224 is 73→64 at
 * 64×64); never below the crop itself.
 */
export function shorterSideFor(crop: EvalCrop, out: readonly [number, number]): number {
  if (out[0] === crop.input[0] && out[1] === crop.input[1]) return crop.shorter;
  return Math.max(out[0], out[1], Math.round(crop.shorter * Math.max(out[0] / crop.input[0], out[1] / crop.input[1])));
}

/** For logs: `shorter side to 73 px (…), then a centre crop to 64×64` (height×width, as the dataset's shape). */
export function describeResizeCrop(shorter: number, out: readonly [number, number]): string {
  return `shorter side to ${shorter} px (bilinear, antialiased), then a centre crop to ${out[0]}×${out[1]}`;
}

export function resizeCropUint8(src: Uint8Array, h: number, w: number, c: number, shorter: number, outH: number, outW: number): Uint8Array {
  const [rh, rw] = shorterSideSize(h, w, shorter);
  // Width first, rounded to uint8, then height: PIL's order and its 8-bit intermediate image.
  const resized = resizeUint8(resizeUint8(src, h, w, c, h, rw), h, rw, c, rh, rw);
  if (rh < outH || rw < outW) return resizeUint8(resized, rh, rw, c, outH, outW);
  // torchvision: int(round((H - crop) / 2.0)); Python rounds halves to even.
  const top = roundHalfEven((rh - outH) / 2);
  const left = roundHalfEven((rw - outW) / 2);
  const out = new Uint8Array(outH * outW * c);
  for (let y = 0; y < outH; y++) out.set(resized.subarray(((top + y) * rw + left) * c, ((top + y) * rw + left + outW) * c), y * outW * c);
  return out;
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
