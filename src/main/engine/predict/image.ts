/** An image as a run's model sees it: decoded, resized and normalised exactly as its dataset's images were. */
import { decodeImage, type DecodedImage } from '../data/image/decode';
import { decodeOffThread } from '../data/image/decodePool';
import { toGray } from '../data/image/encode';
import { resizeUint8 } from '../data/image/resize';
import { normLut } from '../data/normalize';
import type { Normalization } from '../data/types';
import { PredictError } from './errors';

/** The bytes of a `data:image/…;base64,` URL (or of bare base64). */
export function bytesOfDataUrl(url: string, name = 'the image'): Uint8Array {
  const comma = url.startsWith('data:') ? url.indexOf(',') : -1;
  if (url.startsWith('data:') && (comma < 0 || !url.slice(0, comma).endsWith(';base64'))) throw new PredictError(`'${name}' is not a base64 data URL`, 'not-image');
  const b64 = comma >= 0 ? url.slice(comma + 1) : url;
  if (!/^[A-Za-z0-9+/=\s_-]*$/.test(b64)) throw new PredictError(`'${name}' is not a PNG or JPEG image (the data is not base64)`, 'not-image');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** A decode failure as a PredictError naming the file. */
function notImage(err: unknown, name: string): PredictError {
  const why = (err as Error).message;
  return new PredictError(why === 'not a PNG or JPEG file' ? `'${name}' is not a PNG or JPEG image` : `'${name}' cannot be read as an image: ${why}`, 'not-image');
}

/** Decodes PNG/JPEG bytes on this thread; anything else is a PredictError naming the file. */
export function decodeForPredict(bytes: Uint8Array, name = 'the image'): DecodedImage {
  if (bytes.length === 0) throw new PredictError(`'${name}' is empty, not a PNG or JPEG image`, 'not-image');
  try {
    return decodeImage(bytes);
  } catch (err) {
    throw notImage(err, name);
  }
}

/**
 * An uploaded image as the model's input, decoded and resized off this thread (decodeOffThread: an image over
 * the size limits is refused from its header at once). The result equals preprocess(decodeForPredict(bytes)).
 * `resizeShorter` (a model folder's preprocessing): the shorter side to that size, then a centre crop (torchvision's eval transform).
 */
export async function prepareUpload(bytes: Uint8Array, name: string, shape: readonly [number, number, number], norm: Normalization, resizeShorter?: number): Promise<{ input: Float32Array; pixels: Uint8Array; width: number; height: number }> {
  const [h, w, c] = shape;
  if (bytes.length === 0) throw new PredictError(`'${name}' is empty, not a PNG or JPEG image`, 'not-image');
  if (c !== 1 && c !== 3) throw new PredictError(`the model takes ${c}-channel images; only 1 (grey) or 3 (RGB) can be fed from a picture`, 'unsupported');
  if (norm.mean.length !== c) throw new PredictError(`the dataset's normalisation has ${norm.mean.length} channels but the model takes ${c}`, 'unsupported');
  let img;
  try {
    img = await decodeOffThread({ bytes, size: [h, w], channels: c, ...(resizeShorter ? { resizeShorter } : {}) });
  } catch (err) {
    throw notImage(err, name);
  }
  return { input: normalizeUint8(img.data, norm), pixels: img.data, width: img.width, height: img.height };
}

/**
 * RGB image → the model's input: bilinear resize to h×w (as the folder importer does), grey when the model takes
 * one channel (ITU-R 601 luma), then the dataset's per-channel (x/255 − mean)/std. Returns the uint8 pixels the
 * model saw too (for display).
 */
export function preprocess(img: DecodedImage, shape: readonly [number, number, number], norm: Normalization): { input: Float32Array; pixels: Uint8Array } {
  const [h, w, c] = shape;
  if (c !== 1 && c !== 3) throw new PredictError(`the model takes ${c}-channel images; only 1 (grey) or 3 (RGB) can be fed from a picture`, 'unsupported');
  if (norm.mean.length !== c) throw new PredictError(`the dataset's normalisation has ${norm.mean.length} channels but the model takes ${c}`, 'unsupported');
  const rgb = resizeUint8(img.data, img.height, img.width, 3, h, w);
  const pixels = c === 1 ? toGray(rgb) : rgb;
  return { input: normalizeUint8(pixels, norm), pixels };
}

/** HWC uint8 → normalised floats, with the same lookup table as the dataset's `Split.image`. */
export function normalizeUint8(pixels: Uint8Array, norm: Normalization): Float32Array {
  const lut = normLut(norm);
  const c = norm.mean.length;
  const out = new Float32Array(pixels.length);
  for (let k = 0; k < pixels.length; k++) out[k] = lut[(k % c) * 256 + pixels[k]];
  return out;
}
