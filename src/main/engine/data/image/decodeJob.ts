/** One decode job, as run by a decode worker (or inline for tiny images): decode, then optionally resize. */
import { isDataError } from '../errors';
import { decodeImage, type DecodedImage } from './decode';
import { toGray } from './encode';
import { resizeUint8 } from './resize';
import { resizeCropUint8 } from './resizeCrop';

export interface DecodeRequest {
  bytes: Uint8Array;
  /** Resize to [height, width] (bilinear, stretched); `channels` 1 gives grey. Absent: the full image, RGB. */
  size?: [number, number];
  channels?: 1 | 3;
  /** With `size`: the shorter side to this first, then a centre crop to `size` (torchvision's Resize + CenterCrop). */
  resizeShorter?: number;
}

/** `width`/`height` are the source image's; `data` is HWC at `size` when one was asked for. */
export type DecodeResult = DecodedImage & { channels: 1 | 3 };

export type DecodeReply = { ok: true; result: DecodeResult } | { ok: false; code?: string; message: string };

export function runDecode(req: DecodeRequest): DecodeResult {
  const img = decodeImage(req.bytes);
  const channels = req.channels ?? 3;
  if (!req.size && channels === 3) return { ...img, channels };
  const [h, w] = req.size ?? [img.height, img.width];
  const rgb = req.size && req.resizeShorter ? resizeCropUint8(img.data, img.height, img.width, 3, req.resizeShorter, h, w) : h === img.height && w === img.width ? img.data : resizeUint8(img.data, img.height, img.width, 3, h, w);
  return { width: img.width, height: img.height, data: channels === 1 ? toGray(rgb) : rgb, channels };
}

export function replyOf(req: DecodeRequest): DecodeReply {
  try {
    return { ok: true, result: runDecode(req) };
  } catch (e) {
    return { ok: false, code: isDataError(e) ? e.code : undefined, message: e instanceof Error ? e.message : String(e) };
  }
}
