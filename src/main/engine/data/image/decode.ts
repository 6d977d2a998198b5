/** PNG/JPEG decoding to RGB uint8, by content (magic bytes), not by file extension. */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

export interface DecodedImage {
  width: number;
  height: number;
  /** HWC RGB, 0..255. */
  data: Uint8Array;
}

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp' | 'tiff' | 'unknown';

export function sniffFormat(buf: Uint8Array): ImageFormat {
  const b = (i: number) => buf[i];
  if (buf.length >= 8 && b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return 'png';
  if (buf.length >= 3 && b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'jpeg';
  if (buf.length >= 4 && b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46) return 'gif';
  if (buf.length >= 2 && b(0) === 0x42 && b(1) === 0x4d) return 'bmp';
  if (buf.length >= 12 && b(0) === 0x52 && b(1) === 0x49 && b(8) === 0x57 && b(9) === 0x45) return 'webp';
  if (buf.length >= 4 && ((b(0) === 0x49 && b(1) === 0x49) || (b(0) === 0x4d && b(1) === 0x4d)) && (b(2) === 42 || b(3) === 42)) return 'tiff';
  return 'unknown';
}

/** Largest image accepted, in megapixels; bigger files are refused rather than exhausting memory. */
const MAX_MEGAPIXELS = 100;

/** Decodes PNG or JPEG into RGB; alpha is dropped, as PIL's convert('RGB') does. Throws with a readable reason. */
export function decodeImage(buf: Uint8Array): DecodedImage {
  const format = sniffFormat(buf);
  let rgba: Uint8Array;
  let width: number;
  let height: number;
  if (format === 'png') {
    const png = PNG.sync.read(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
    ({ width, height } = png);
    rgba = png.data;
  } else if (format === 'jpeg') {
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 2048 });
    ({ width, height } = img);
    rgba = img.data;
  } else if (format === 'unknown') {
    throw new Error('not a PNG or JPEG file');
  } else {
    throw new Error(`${format.toUpperCase()} is not supported; convert it to PNG or JPEG`);
  }
  if (!(width > 0 && height > 0) || rgba.length < width * height * 4) throw new Error('decoded image is empty or truncated');
  if (width * height > MAX_MEGAPIXELS * 1e6) throw new Error(`image is ${width}×${height}, over ${MAX_MEGAPIXELS} megapixels`);
  const data = new Uint8Array(width * height * 3);
  for (let p = 0, q = 0; p < width * height * 4; p += 4, q += 3) {
    data[q] = rgba[p];
    data[q + 1] = rgba[p + 1];
    data[q + 2] = rgba[p + 2];
  }
  return { width, height, data };
}
