/** PNG/JPEG decoding to RGB uint8, by content (magic bytes), not by file extension. */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError, isDataError } from '../errors';
import { checkImageHeader, MAX_IMAGE_PIXELS } from './header';

export { sniffFormat, type ImageFormat } from './header';

export interface DecodedImage {
  width: number;
  height: number;
  /** HWC RGB, 0..255. */
  data: Uint8Array;
}

/**
 * Decodes PNG or JPEG into RGB; alpha is dropped, as PIL's convert('RGB') does. The size is checked from the
 * header first (checkImageHeader), so a decompression bomb is refused before any pixel is allocated. Throws a
 * DataError with a readable reason. Synchronous and CPU-bound: the host calls it through decodeOffThread.
 */
export function decodeImage(buf: Uint8Array): DecodedImage {
  const header = checkImageHeader(buf);
  let rgba: Uint8Array;
  let width: number;
  let height: number;
  try {
    if (header.format === 'png') {
      const png = PNG.sync.read(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
      ({ width, height } = png);
      rgba = png.data;
    } else {
      const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
      ({ width, height } = img);
      rgba = img.data;
    }
  } catch (e) {
    if (isDataError(e)) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new DataError('bad-image', `${header.format === 'png' ? 'PNG' : 'JPEG'} data is corrupt or truncated (${why.length > 120 ? `${why.slice(0, 120)}…` : why})`);
  }
  if (!(width > 0 && height > 0) || rgba.length < width * height * 4) throw new DataError('bad-image', 'decoded image is empty or truncated');
  if (width !== header.width || height !== header.height) throw new DataError('bad-image', `decoded size ${width}×${height} differs from the header's ${header.width}×${header.height}`);
  const data = new Uint8Array(width * height * 3);
  for (let p = 0, q = 0; p < width * height * 4; p += 4, q += 3) {
    data[q] = rgba[p];
    data[q + 1] = rgba[p + 1];
    data[q + 2] = rgba[p + 2];
  }
  return { width, height, data };
}
