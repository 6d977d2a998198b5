import * as tf from '@tensorflow/tfjs';
import type { DetectionConfig } from '../../../../shared/training/config';
import { assignTargets, boxesFromRows, type GtBox, type Positive } from '../../detect/assign';
import { decodeTensor, encodeBox, toRegression } from '../../detect/codec';
import { levelSize, type DetectionLevel, type ImageSize } from '../../detect/levels';
import { boxLossPerBox } from '../boxLosses';

// Detection loss (per batch), with P = number of positives over all heads (see detect/assign.ts):
//   L = (w_box·Σ_pos ℓ_box + w_obj·Σ_all ℓ_obj + w_cls·Σ_pos ℓ_cls) / max(1, P)
// ℓ_box: 1 − IoU / GIoU / DIoU / CIoU of the decoded box, or smooth L1 (β = 1/9) on r = (σ(tx), σ(ty), tw, th)
//        (anchor-free: the log side distances) summed over the 4 numbers.
// ℓ_obj: BCE, or binary focal (α 0.25, γ 2), on every prediction; target 1 for positives, 0 otherwise, except
//        negatives whose decoded box already overlaps a ground-truth box by > ignoreIoU (YOLOv3), which are left out.
//        With hard negative mining (hardNegativeRatio r > 0, SSD) only the k = r·max(1, P_i) negatives of image i
//        with the highest ℓ_obj count (over all heads; ties at the k-th value are all kept), the easy rest is left out.
// ℓ_cls: BCE summed over the K classes (YOLOv3), or softmax CE.
// Normalising by P rather than by the number of cells keeps the weights meaningful for any grid size.

export type DetectionLossOptions = Pick<DetectionConfig, 'boxLoss' | 'objectness' | 'classLoss' | 'weights' | 'ignoreIoU' | 'anchorRatio'> & {
  focalAlpha?: number;
  focalGamma?: number;
  /** Hard negative mining (see the formula above); unset or 0: every negative counts. */
  hardNegativeRatio?: number;
};

const SMOOTH_L1_BETA = 1 / 9;

export interface DetectionLossValue {
  loss: tf.Scalar;
  /** Mean IoU of the positives' decoded boxes with their targets (0 when the batch has no box). */
  meanIoU: tf.Scalar;
}

/** A value the gradient does not flow through (tfjs has no gradient for comparisons). */
const constantOf = (f: (x: tf.Tensor) => tf.Tensor): ((x: tf.Tensor) => tf.Tensor) =>
  tf.customGrad((x) => ({ value: f(x as tf.Tensor), gradFunc: () => tf.zerosLike(x as tf.Tensor) })) as unknown as (x: tf.Tensor) => tf.Tensor;

/** Element-wise BCE from logits: softplus(x) − x·y. */
const bceTerms = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.softplus(x).sub(x.mul(y));

function focalTerms(x: tf.Tensor, y: tf.Tensor, alpha: number, gamma: number): tf.Tensor {
  const p = tf.sigmoid(x);
  const pt = p.mul(y).add(tf.scalar(1).sub(p).mul(tf.scalar(1).sub(y)));
  const factor = tf.pow(tf.clipByValue(tf.scalar(1).sub(pt), 1e-12, 1), gamma);
  return bceTerms(x, y).mul(factor).mul(y.mul(alpha).add(tf.scalar(1).sub(y).mul(1 - alpha)));
}

/** 0.5·min(d, β)²/β + max(d − β, 0): smooth L1 without a comparison op (those have no gradient in tfjs). */
function smoothL1Terms(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const d = tf.abs(a.sub(b));
  const small = tf.minimum(d, SMOOTH_L1_BETA);
  return small.square().mul(0.5 / SMOOTH_L1_BETA).add(tf.relu(d.sub(SMOOTH_L1_BETA)));
}

/** IoU of every box [N, S, 4] with every ground-truth box [N, G, 4] (cx, cy, w, h) → [N, S, G]. */
function pairwiseIoU(boxes: tf.Tensor, gt: tf.Tensor): tf.Tensor {
  const corners = (b: tf.Tensor): tf.Tensor[] => {
    const [cx, cy, w, h] = tf.split(b, 4, -1);
    return [cx.sub(w.div(2)), cy.sub(h.div(2)), cx.add(w.div(2)), cy.add(h.div(2))];
  };
  const [ax1, ay1, ax2, ay2] = corners(boxes.expandDims(2));
  const [bx1, by1, bx2, by2] = corners(gt.expandDims(1));
  const iw = tf.relu(tf.minimum(ax2, bx2).sub(tf.maximum(ax1, bx1)));
  const ih = tf.relu(tf.minimum(ay2, by2).sub(tf.maximum(ay1, by1)));
  const inter = iw.mul(ih);
  const union = ax2.sub(ax1).mul(ay2.sub(ay1)).add(bx2.sub(bx1).mul(by2.sub(by1))).sub(inter);
  return inter.div(union.add(1e-9)).squeeze([-1]);
}

/** Sums of the objectness loss terms by kind of prediction, and how many predictions of each kind. */
export interface ObjectnessParts {
  positives: number;
  hardNegatives: number;
  easyNegatives: number;
  counts: { positives: number; hardNegatives: number; easyNegatives: number };
}

export class DetectionLoss {
  constructor(
    readonly levels: readonly DetectionLevel[],
    readonly image: ImageSize,
    /** Per level: priors [(gx, gy, anchor w, anchor h)] of one image's predictions (see levels.priorTable). */
    private readonly priors: readonly tf.Tensor2D[],
    readonly opts: DetectionLossOptions,
  ) {}

  /**
   * The loss of the heads' raw outputs for the batch's boxes tensor [N, M, 5]. Call inside the gradient tape.
   * Pass the rows' CPU copy (`BatchTensors.boxRows`) where there is one: a GPU backend cannot read back synchronously.
   */
  compute(outputs: readonly tf.Tensor[], boxes: tf.Tensor3D, rowsData?: Float32Array): DetectionLossValue {
    const [n, rows] = boxes.shape;
    const gt = boxesFromRows(rowsData ?? boxes.dataSync(), n, rows);
    return this.computeFor(outputs, gt);
  }

  computeFor(outputs: readonly tf.Tensor[], gt: readonly GtBox[][]): DetectionLossValue {
    const { weights } = this.opts;
    return tf.tidy(() => {
      const t = this.terms(outputs, gt);
      const loss = t.box.mul(weights.box).add(tf.sum(t.obj).mul(weights.obj)).add(t.cls.mul(weights.cls)).div(Math.max(1, t.positives)) as tf.Scalar;
      const meanIoU = (t.ious.length ? tf.mean(tf.concat(t.ious)) : tf.scalar(0)) as tf.Scalar;
      return { loss, meanIoU };
    });
  }

  /**
   * What the objectness loss (as this loss weighs it: focal, ignore rule, hard negative mining) is made of on a
   * batch: its sum over the positives, over the negatives the model still finds hard (σ(objectness) ≥ easyBelow)
   * and over the easy ones, with their counts. For the studies' telemetry; reads back, so not inside a tape.
   */
  async objectnessParts(outputs: readonly tf.Tensor[], gt: readonly GtBox[][], easyBelow = 0.1): Promise<ObjectnessParts> {
    const [terms, y, p] = tf.tidy(() => {
      const t = this.terms(outputs, gt);
      return [t.obj, t.y, tf.sigmoid(t.logits)];
    });
    const [tv, yv, pv] = [await terms.data(), await y.data(), await p.data()];
    tf.dispose([terms, y, p]);
    const out: ObjectnessParts = { positives: 0, hardNegatives: 0, easyNegatives: 0, counts: { positives: 0, hardNegatives: 0, easyNegatives: 0 } };
    for (let i = 0; i < tv.length; i++) {
      const kind = yv[i] > 0.5 ? 'positives' : pv[i] >= easyBelow ? 'hardNegatives' : 'easyNegatives';
      out[kind] += tv[i];
      out.counts[kind]++;
    }
    return out;
  }

  /** Every term of the loss: objectness per prediction [N, S] (weighted as the options say), its targets and logits, the box and class sums. */
  private terms(outputs: readonly tf.Tensor[], gt: readonly GtBox[][]) {
    const positives = assignTargets(gt, this.levels, this.image, { anchorRatio: this.opts.anchorRatio });
    const gtTensor = this.opts.ignoreIoU < 1 ? groundTruthTensor(gt) : undefined;
    let box: tf.Scalar = tf.scalar(0);
    let cls: tf.Scalar = tf.scalar(0);
    const ious: tf.Tensor[] = [];
    const parts = this.levels.map((l, i) => this.levelTerms(l, i, outputs[l.output], positives[i], gtTensor));
    for (const part of parts) {
      if (part.box) box = box.add(part.box);
      if (part.cls) cls = cls.add(part.cls);
      if (part.iou) ious.push(part.iou);
    }
    const joined = (ts: tf.Tensor[]): tf.Tensor => (ts.length > 1 ? tf.concat(ts, 1) : ts[0]);
    let obj = joined(parts.map((x) => x.obj));
    const y = joined(parts.map((x) => x.y));
    const ratio = this.opts.hardNegativeRatio ?? 0;
    if (ratio > 0) {
      const perImage = new Array<number>(gt.length).fill(0);
      for (const level of positives) for (const p of level) perImage[p.image]++;
      obj = obj.mul(hardNegativeMask(obj, y, perImage.map((p) => Math.round(ratio * Math.max(1, p)))));
    }
    return { obj, y, logits: joined(parts.map((x) => x.logits)), box, cls, ious, positives: positives.reduce((s, p) => s + p.length, 0) };
  }

  private levelTerms(l: DetectionLevel, i: number, output: tf.Tensor, pos: readonly Positive[], gtTensor: tf.Tensor | undefined) {
    const n = output.shape[0];
    const s = levelSize(l);
    const raw = output.reshape([n * s, 5 + l.classes]);
    const objLogits = raw.slice([0, 4], [-1, 1]).reshape([n * s]);
    const target = new Float32Array(n * s);
    for (const p of pos) target[p.row] = 1;
    const y = tf.tensor1d(target);
    let weight: tf.Tensor | undefined;
    if (gtTensor) {
      const threshold = this.opts.ignoreIoU;
      const priors = this.priors[i];
      const ignored = constantOf((r) => {
        const decoded = decodeTensor(l, this.image, r.reshape([n, s, 5 + l.classes]).slice([0, 0, 0], [-1, -1, 4]), priors);
        return tf.cast(pairwiseIoU(decoded, gtTensor).max(-1).greater(threshold), 'float32').reshape([n * s]);
      })(raw);
      weight = tf.scalar(1).sub(ignored.mul(tf.scalar(1).sub(y)));
    }
    let objTerms = this.opts.objectness === 'focal' ? focalTerms(objLogits, y, this.opts.focalAlpha ?? 0.25, this.opts.focalGamma ?? 2) : bceTerms(objLogits, y);
    if (weight) objTerms = objTerms.mul(weight);
    // Per image: [N, S] (hard negative mining ranks each image's negatives over all heads).
    const obj = objTerms.reshape([n, s]);
    const ys = y.reshape([n, s]);
    const logits = objLogits.reshape([n, s]);
    if (pos.length === 0) return { obj, y: ys, logits };

    const picked = tf.gather(raw, tf.tensor1d(pos.map((p) => p.row), 'int32'));
    const [t, , clsLogits] = tf.split(picked, [4, 1, l.classes], -1);
    const priors = tf.tensor2d(pos.flatMap((p) => [p.gx, p.gy, ...(l.anchors[p.anchor] ?? [0, 0])]), [pos.length, 4]);
    const targetBoxes = tf.tensor2d(pos.flatMap((p) => p.box), [pos.length, 4]);
    const decoded = decodeTensor(l, this.image, t, priors);
    let box: tf.Scalar;
    if (this.opts.boxLoss === 'smooth_l1') {
      const r = tf.tensor2d(pos.flatMap((p) => encodeBox(l, this.image, p.gx, p.gy, p.anchor, p.box)), [pos.length, 4]);
      box = tf.sum(smoothL1Terms(toRegression(l, t), r)) as tf.Scalar;
    } else box = tf.sum(boxLossPerBox(decoded, targetBoxes, this.opts.boxLoss)) as tf.Scalar;
    // tf.oneHot refuses depth 1: a one-class head's targets are all ones.
    const oneHot = l.classes > 1 ? tf.oneHot(tf.tensor1d(pos.map((p) => p.cls), 'int32'), l.classes).toFloat() : tf.ones([pos.length, 1]);
    const cls =
      this.opts.classLoss === 'ce'
        ? (tf.neg(tf.sum(tf.logSoftmax(clsLogits).mul(oneHot))) as tf.Scalar)
        : (tf.sum(bceTerms(clsLogits, oneHot)) as tf.Scalar);
    const iou = tf.scalar(1).sub(boxLossPerBox(decoded, targetBoxes, 'iou'));
    return { obj, y: ys, logits, box, cls, iou };
  }
}

/**
 * 1 for positives and for the k_i negatives of image i with the highest loss term, 0 for the other negatives
 * (terms [N, S] already 0 where the ignore rule left a negative out; targets y [N, S]). A constant: no gradient.
 */
export function hardNegativeMask(terms: tf.Tensor, y: tf.Tensor, keep: readonly number[]): tf.Tensor {
  return constantOf((t) => {
    const [n, s] = t.shape;
    const negatives = t.mul(tf.scalar(1).sub(y));
    const k = keep.map((v) => Math.min(s, Math.max(1, v)));
    const top = tf.topk(negatives, Math.max(...k)).values;
    const kth = tf.gather(top.reshape([-1]), tf.tensor1d(k.map((v, i) => i * top.shape[1]! + v - 1), 'int32')).reshape([n, 1]);
    return tf.cast(tf.logicalOr(tf.greaterEqual(negatives, kth), tf.greater(y, 0.5)), 'float32');
  })(terms);
}

/** Ground-truth boxes [N, G, 4], zero rows as padding (a zero box overlaps nothing). */
function groundTruthTensor(gt: readonly GtBox[][]): tf.Tensor3D {
  const g = Math.max(1, ...gt.map((b) => b.length));
  const data = new Float32Array(gt.length * g * 4);
  gt.forEach((boxes, n) => boxes.forEach((b, j) => data.set(b.box, (n * g + j) * 4)));
  return tf.tensor3d(data, [gt.length, g, 4]);
}
