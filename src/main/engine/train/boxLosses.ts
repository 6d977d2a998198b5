import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { stopGradient } from './lossHelpers';

// IoU-family box regression losses on (cx, cy, w, h) boxes, mean over boxes. They follow torchvision's
// generalized/distance/complete_box_iou_loss (same eps placement), so the values can be checked there:
//   IoU  : 1 − IoU
//   GIoU : 1 − IoU + (|C| − |A∪B|)/|C|           C = smallest enclosing box
//   DIoU : 1 − IoU + ρ²/c²                         ρ = centre distance, c = diagonal of C
//   CIoU : DIoU + α·v,  v = 4/π²·(atan(w_gt/h_gt) − atan(w/h))²,  α = v/(1 − IoU + v), α not differentiated
// Widths and heights must be positive (decode the head's output first).

export const BoxLossVariantSchema = z.enum(['iou', 'giou', 'diou', 'ciou']);
export type BoxLossVariant = z.infer<typeof BoxLossVariantSchema>;

interface Corners {
  x1: tf.Tensor;
  y1: tf.Tensor;
  x2: tf.Tensor;
  y2: tf.Tensor;
  cx: tf.Tensor;
  cy: tf.Tensor;
  w: tf.Tensor;
  h: tf.Tensor;
}

function corners(boxes: tf.Tensor): Corners {
  const [cx, cy, w, h] = tf.unstack(boxes.reshape([-1, 4]), 1);
  const hw = w.div(2);
  const hh = h.div(2);
  return { x1: cx.sub(hw), y1: cy.sub(hh), x2: cx.add(hw), y2: cy.add(hh), cx, cy, w, h };
}

/** Per-box loss, shape (M,) for M = number of boxes. */
export function boxLossPerBox(prediction: tf.Tensor, target: tf.Tensor, variant: BoxLossVariant, eps = 1e-7): tf.Tensor1D {
  if (prediction.shape[prediction.rank - 1] !== 4 || !tf.util.arraysEqual(prediction.shape, target.shape)) {
    throw new Error(`box losses need matching (..., 4) boxes, got [${prediction.shape}] and [${target.shape}]`);
  }
  return tf.tidy(() => {
    const p = corners(prediction);
    const t = corners(target);
    const iw = tf.relu(tf.minimum(p.x2, t.x2).sub(tf.maximum(p.x1, t.x1)));
    const ih = tf.relu(tf.minimum(p.y2, t.y2).sub(tf.maximum(p.y1, t.y1)));
    const inter = iw.mul(ih);
    const union = p.w.mul(p.h).add(t.w.mul(t.h)).sub(inter);
    const iou = inter.div(union.add(eps));
    const loss = tf.scalar(1).sub(iou);
    if (variant === 'iou') return loss as tf.Tensor1D;
    const cw = tf.maximum(p.x2, t.x2).sub(tf.minimum(p.x1, t.x1));
    const ch = tf.maximum(p.y2, t.y2).sub(tf.minimum(p.y1, t.y1));
    if (variant === 'giou') {
      const areaC = cw.mul(ch);
      return loss.add(areaC.sub(union).div(areaC.add(eps))) as tf.Tensor1D;
    }
    const diagonal = cw.square().add(ch.square()).add(eps);
    const centre = p.cx.sub(t.cx).square().add(p.cy.sub(t.cy).square());
    const diou = loss.add(centre.div(diagonal));
    if (variant === 'diou') return diou as tf.Tensor1D;
    const v = tf.atan(t.w.div(t.h)).sub(tf.atan(p.w.div(p.h))).square().mul(4 / Math.PI ** 2);
    const alpha = stopGradient(v.div(tf.scalar(1).sub(iou).add(v).add(eps)));
    return diou.add(alpha.mul(v)) as tf.Tensor1D;
  });
}

export function boxLoss(prediction: tf.Tensor, target: tf.Tensor, variant: BoxLossVariant = 'ciou', eps = 1e-7): tf.Scalar {
  return tf.tidy(() => tf.mean(boxLossPerBox(prediction, target, variant, eps)) as tf.Scalar);
}
