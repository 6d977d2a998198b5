/** The one tfjs-dependent part of the data layer: a batch as tensors. */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from './batch';

export interface BatchTensors {
  /** [N, H, W, C] float32. */
  x: tf.Tensor4D;
  /** [N, K] float32: one-hot or soft class weights. */
  y: tf.Tensor2D;
  /** [N] int32 hard labels. */
  labels: tf.Tensor1D;
  /** [N, H, W] int32 class ids (segmentation). */
  masks?: tf.Tensor3D;
  /** [N, maxBoxes, 5] float32 rows (cls, x, y, w, h); padding rows have cls −1 (detection). */
  boxes?: tf.Tensor3D;
  /** The same rows on the CPU: the detection loss assigns targets from them without reading the tensor back. */
  boxRows?: Float32Array;
}

/** A detection batch's boxes as padded float32 rows (cls, x, y, w, h), cls −1 for padding: `rows` per image. */
export function boxRowsOf(batch: Batch, maxBoxes?: number): { data: Float32Array; rows: number } {
  const boxes = batch.boxes ?? [];
  const n = batch.size;
  const m = Math.max(1, maxBoxes ?? Math.max(0, ...boxes.map((b) => b.length)));
  const data = new Float32Array(n * m * 5);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const b = boxes[i]?.[j];
      data.set(b ? [b.cls, b.x, b.y, b.w, b.h] : [-1, 0, 0, 0, 0], (i * m + j) * 5);
    }
  return { data, rows: m };
}

/** `maxBoxes` fixes the padded box count (default: the batch's largest list); boxes beyond it are dropped. */
export function batchToTensors(batch: Batch, opts: { maxBoxes?: number } = {}): BatchTensors {
  const [h, w, c] = batch.shape;
  const n = batch.size;
  const out: BatchTensors = {
    x: tf.tensor4d(batch.x, [n, h, w, c], 'float32'),
    y: tf.tensor2d(batch.y, [n, batch.numClasses], 'float32'),
    labels: tf.tensor1d(batch.labels, 'int32'),
  };
  if (batch.masks) out.masks = tf.tensor3d(Int32Array.from(batch.masks), [n, h, w], 'int32');
  if (batch.boxes) {
    const { data, rows } = boxRowsOf(batch, opts.maxBoxes);
    out.boxes = tf.tensor3d(data, [n, rows, 5], 'float32');
    out.boxRows = data;
  }
  return out;
}

export function disposeBatchTensors(t: BatchTensors): void {
  tf.dispose([t.x, t.y, t.labels, ...(t.masks ? [t.masks] : []), ...(t.boxes ? [t.boxes] : [])]);
}
