/**
 * Image dimensions read from the file's header, before any pixel is decoded, so that a decompression bomb
 * (a tiny file that claims 20000×20000) is refused in microseconds instead of exhausting memory.
 */
import { DataError } from '../errors';

/** Largest image decoded, in pixels (50 megapixels: 150 MB as RGB, ~600 MB while decoding). */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** Largest side, in pixels. */
export const MAX_IMAGE_SIDE = 20_000;

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

export interface ImageHeader {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

const u16 = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u32 = (b: Uint8Array, i: number) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
const bad = (message: string) => new DataError('bad-image', message);

/** PNG: the IHDR chunk must come first (PNG spec 5.6); its width and height are the image's. */
function pngHeader(b: Uint8Array): ImageHeader {
  if (b.length < 24 || String.fromCharCode(b[12], b[13], b[14], b[15]) !== 'IHDR') throw bad('PNG file is truncated or has no IHDR header');
  return { format: 'png', width: u32(b, 16), height: u32(b, 20) };
}

/** Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/**
 * JPEG: walks the whole marker structure (segments by their lengths, entropy-coded data up to the next marker),
 * so an EXIF thumbnail inside APP1 is not mistaken for the image, and a second, larger frame later in the file
 * is not missed. The largest frame is returned.
 */
function jpegHeader(b: Uint8Array): ImageHeader {
  let width = 0;
  let height = 0;
  let frames = 0;
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) throw bad(`JPEG data is corrupt (no marker at byte ${i})`);
    while (i < b.length && b[i] === 0xff) i++; // fill bytes
    if (i >= b.length) break;
    const m = b[i++];
    if (m === 0xd9) break; // EOI
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) continue; // standalone markers
    if (i + 2 > b.length) break;
    const len = u16(b, i);
    if (len < 2) throw bad('JPEG data is corrupt (bad segment length)');
    if (isSof(m)) {
      if (i + 7 > b.length) break;
      const h = u16(b, i + 3);
      const w = u16(b, i + 5);
      if (h === 0) throw bad('JPEG files whose height comes after the image data (DNL marker) are not supported');
      frames++;
      if (w * h > width * height) [width, height] = [w, h];
    }
    i += len;
    if (m === 0xda) {
      // Entropy-coded data: runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
      while (i < b.length && !(b[i] === 0xff && i + 1 < b.length && b[i + 1] !== 0 && !(b[i + 1] >= 0xd0 && b[i + 1] <= 0xd7))) i++;
    }
  }
  if (frames === 0) throw bad('JPEG file is truncated or has no frame header (SOF)');
  return { format: 'jpeg', width, height };
}

/** The format and size of a PNG or JPEG from its header; throws a DataError for anything else. */
export function readImageHeader(buf: Uint8Array): ImageHeader {
  const format = sniffFormat(buf);
  if (format === 'png') return pngHeader(buf);
  if (format === 'jpeg') return jpegHeader(buf);
  if (format === 'unknown') throw new DataError('unsupported-format', 'not a PNG or JPEG file');
  throw new DataError('unsupported-format', `${format.toUpperCase()} is not supported; convert it to PNG or JPEG`);
}

/** The header, checked against the size limits: a DataError('image-too-large') names the size and the limit. */
export function checkImageHeader(buf: Uint8Array): ImageHeader {
  const header = readImageHeader(buf);
  const { width, height } = header;
  if (!(width > 0 && height > 0)) throw bad(`image header gives an empty size (${width}×${height})`);
  if (width * height > MAX_IMAGE_PIXELS)
    throw new DataError('image-too-large', `image is ${width}×${height} (${Math.round((width * height) / 1e6)} megapixels), over the ${MAX_IMAGE_PIXELS / 1e6}-megapixel limit; scale it down first`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE)
    throw new DataError('image-too-large', `image is ${width}×${height}, over the ${MAX_IMAGE_SIDE}-pixel limit per side; scale it down first`);
  return header;
}
