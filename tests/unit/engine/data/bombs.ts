/** Hostile image files for tests: PNG/JPEG headers that claim far more pixels than the file holds. */
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ihdr(width: number, height: number): Buffer {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(width, 0);
  d.writeUInt32BE(height, 4);
  d.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  return chunk('IHDR', d);
}

/**
 * The 69-byte PNG bomb: a valid header claiming `width`×`height` RGB (default 20000²) and an IDAT of a few
 * deflated zero bytes. A decoder that trusts the header allocates gigabytes before it finds the data short.
 */
export function pngBomb(width = 20000, height = 20000): Buffer {
  return Buffer.concat([SIGNATURE, ihdr(width, height), chunk('IDAT', deflateSync(Buffer.alloc(4))), chunk('IEND', new Uint8Array(0))]);
}

/** A real, complete PNG of `width`×`height` solid RGB, built row by row: it compresses to a tiny file. */
export function solidPng(width: number, height: number, rgb: [number, number, number] = [40, 120, 200]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.alloc(row.length * height);
  for (let y = 0; y < height; y++) row.copy(raw, y * row.length);
  return Buffer.concat([SIGNATURE, ihdr(width, height), chunk('IDAT', deflateSync(raw, { level: 1 })), chunk('IEND', new Uint8Array(0))]);
}

/** A small real JPEG (16×16 grey). */
export function smallJpeg(size = 16): Buffer {
  return Buffer.from(jpeg.encode({ width: size, height: size, data: Buffer.alloc(size * size * 4, 128) }, 90).data);
}

/** A real JPEG whose SOF0 frame header is rewritten to claim `width`×`height`. */
export function jpegBomb(width = 20000, height = 20000): Buffer {
  const buf = smallJpeg();
  for (let i = 2; i + 9 < buf.length; i++)
    if (buf[i] === 0xff && buf[i + 1] === 0xc0) {
      buf.writeUInt16BE(height, i + 5);
      buf.writeUInt16BE(width, i + 7);
      return buf;
    }
  throw new Error('no SOF0 in the JPEG');
}

/** A real 16×16 JPEG with an APP1 segment that holds a fake 20000² frame header, as an EXIF thumbnail would. */
export function jpegWithThumbnailSof(): Buffer {
  const buf = smallJpeg();
  const fake = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x4e, 0x20, 0x4e, 0x20, 0x03]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0x00, fake.length + 2 + 6]), Buffer.from('Exif\0\0'), fake]);
  return Buffer.concat([buf.subarray(0, 2), app1, buf.subarray(2)]);
}
