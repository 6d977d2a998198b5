import * as tf from '@tensorflow/tfjs';
import type { BuildCtx } from './types';
import { applyLayer, NetsmithLayer, one, oneShape, registerLayer } from './layer';

type Pads = [[number, number], [number, number]];

/** Pads H and W with a constant; max pooling uses the most negative float32 so padding never wins. */
export class ConstantPad2D extends NetsmithLayer<{ padding: Pads; value: number }> {
  static className = 'Netsmith>ConstantPad2D';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = oneShape(inputShape);
    const [[t, bo], [l, r]] = this.opts.padding;
    return [b, h === null ? null : h + t + bo, w === null ? null : w + l + r, c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.pad(one(inputs), [[0, 0], ...this.opts.padding, [0, 0]], this.opts.value));
  }
}
registerLayer(ConstantPad2D);

export const LOWEST_FLOAT32 = -3.4028234663852886e38;

export type Padding = 'same' | 'valid' | 'explicit';

/**
 * Maps a block's padding to what tfjs layers take: 'explicit' becomes a ZeroPadding2D (or a constant pad
 * with `value`) named `<node>__pad`, followed by a 'valid' op.
 */
export function resolvePadding(
  ctx: BuildCtx,
  x: tf.SymbolicTensor,
  padding: Padding,
  pad: number,
  value = 0,
): { x: tf.SymbolicTensor; padding: 'same' | 'valid' } {
  if (padding !== 'explicit') return { x, padding };
  if (pad === 0) return { x, padding: 'valid' };
  const pads: Pads = [[pad, pad], [pad, pad]];
  const layer =
    value === 0
      ? tf.layers.zeroPadding2d({ padding: pads, name: ctx.name('pad') })
      : new ConstantPad2D({ opts: { padding: pads, value }, name: ctx.name('pad') });
  return { x: applyLayer(layer, x), padding: 'valid' };
}
