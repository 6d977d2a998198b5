import * as tf from '@tensorflow/tfjs';
import type { DetectionLevel, ImageSize } from './levels';

// How a head's 4 box numbers become a box (the det/yolo_head doc card), in "regression space" r:
//   anchor-based (YOLOv3): r = (σ(tx), σ(ty), tw, th);  cx = (r0 + gx)·stride,  w = anchor_w·e^r2 (same for y, h)
//   anchor-free (FCOS-like): r = (tl, tt, tr, tb) = log distances, in strides, from the cell centre to the box sides:
//                            x1 = (gx + ½)·stride − e^r0·stride,  x2 = (gx + ½)·stride + e^r2·stride
// Boxes come out as (cx, cy, w, h) relative to the image, like the dataset's labels.

/** Bounds on the exponents, so a wild early prediction cannot overflow (e^6 ≈ 400 anchors or strides). */
export const LOG_MIN = -8;
export const LOG_MAX = 6;

export type Box4 = [number, number, number, number];

/** The regression target r of a box (cx, cy, w, h relative) for the prediction at cell (gx, gy), anchor `a`. */
export function encodeBox(l: DetectionLevel, image: ImageSize, gx: number, gy: number, a: number, box: readonly number[]): Box4 {
  const [cx, cy, w, h] = [box[0] * image.w, box[1] * image.h, box[2] * image.w, box[3] * image.h];
  const s = l.stride;
  if (l.anchors.length > 0) {
    const [aw, ah] = l.anchors[a];
    return [cx / s - gx, cy / s - gy, Math.log(w / aw), Math.log(h / ah)];
  }
  const [ccx, ccy] = [(gx + 0.5) * s, (gy + 0.5) * s];
  const d = (v: number): number => Math.log(Math.max(v, 1e-3 * s) / s);
  return [d(ccx - (cx - w / 2)), d(ccy - (cy - h / 2)), d(cx + w / 2 - ccx), d(cy + h / 2 - ccy)];
}

/** The inverse of encodeBox: the box (cx, cy, w, h relative) that regression values r describe. */
export function decodeBox(l: DetectionLevel, image: ImageSize, gx: number, gy: number, a: number, r: readonly number[]): Box4 {
  const s = l.stride;
  if (l.anchors.length > 0) {
    const [aw, ah] = l.anchors[a];
    return [((r[0] + gx) * s) / image.w, ((r[1] + gy) * s) / image.h, (aw * Math.exp(r[2])) / image.w, (ah * Math.exp(r[3])) / image.h];
  }
  const [ccx, ccy] = [(gx + 0.5) * s, (gy + 0.5) * s];
  const [dl, dt, dr, db] = r.map((v) => Math.exp(v) * s);
  return [(ccx + (dr - dl) / 2) / image.w, (ccy + (db - dt) / 2) / image.h, (dl + dr) / image.w, (dt + db) / image.h];
}

/** Raw head values (tx, ty, tw, th) → regression space r (the sigmoid on the anchor-based centre offsets). */
export function toRegression(l: DetectionLevel, raw: tf.Tensor): tf.Tensor {
  if (l.anchors.length === 0) return raw;
  const [xy, wh] = tf.split(raw, [2, 2], -1);
  return tf.concat([tf.sigmoid(xy), wh], -1);
}

/**
 * decodeBox on tensors: raw head values [..., 4] and the level's priors [..., 4] = (gx, gy, anchor w, anchor h)
 * (broadcast over leading axes) → boxes [..., 4] (cx, cy, w, h relative). Differentiable.
 */
export function decodeTensor(l: DetectionLevel, image: ImageSize, raw: tf.Tensor, priors: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const s = l.stride;
    const [gx, gy, aw, ah] = tf.split(priors, 4, -1);
    const scaleXY = tf.tensor1d([s / image.w, s / image.h]);
    const imageWH = tf.tensor1d([image.w, image.h]);
    if (l.anchors.length > 0) {
      const [txy, twh] = tf.split(raw, [2, 2], -1);
      const xy = tf.sigmoid(txy).add(tf.concat([gx, gy], -1)).mul(scaleXY);
      const wh = tf.exp(tf.clipByValue(twh, LOG_MIN, LOG_MAX)).mul(tf.concat([aw, ah], -1)).div(imageWH);
      return tf.concat([xy, wh], -1);
    }
    const d = tf.exp(tf.clipByValue(raw, LOG_MIN, LOG_MAX)).mul(scaleXY.tile([2]));
    const [dl, dt, dr, db] = tf.split(d, 4, -1);
    const centre = tf.concat([gx, gy], -1).add(0.5).mul(scaleXY);
    const xy = centre.add(tf.concat([dr.sub(dl), db.sub(dt)], -1).div(2));
    return tf.concat([xy, tf.concat([dl.add(dr), dt.add(db)], -1)], -1);
  });
}
