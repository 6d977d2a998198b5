import * as tf from '@tensorflow/tfjs';
import { NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';

/** Prepends a learned [cls] token. The token is broadcast to the batch by an add, not a Tile. */
export class ClassToken extends NetsmithLayer<Record<string, never>> {
  static className = 'Netsmith>ClassToken';
  private token?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = oneShape(inputShape)[2] as number;
    this.token = this.addWeight('token', [1, 1, d], 'float32', this.initOf('token'), undefined, true);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, n, d] = oneShape(inputShape);
    return [b, n === null ? null : n + 1, d];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const [b, , d] = x.shape;
      return tf.concat([tf.zeros([b, 1, d]).add(this.token!.read()), x], 1);
    });
  }
}
registerLayer(ClassToken);

/** sin/cos table of the original Transformer: PE(pos, 2i) = sin(pos/10000^(2i/D)), PE(pos, 2i+1) = cos(…). */
export function sinusoidalTable(n: number, d: number): Float32Array {
  const table = new Float32Array(n * d);
  for (let pos = 0; pos < n; pos++) {
    for (let j = 0; j < d; j++) {
      const angle = pos / Math.pow(10000, (2 * Math.floor(j / 2)) / d);
      table[pos * d + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return table;
}

/** Adds a position table: learned (`table`, N×D) or the fixed sinusoidal one (no weights). */
export class PosEmbed extends NetsmithLayer<{ mode: 'learned' | 'sinusoidal' }> {
  static className = 'Netsmith>PosEmbed';
  private table?: tf.LayerVariable;
  private fixed?: Float32Array;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [, n, d] = oneShape(inputShape) as number[];
    if (this.opts.mode === 'learned') this.table = this.addWeight('table', [1, n, d], 'float32', this.initOf('table'), undefined, true);
    else this.fixed = sinusoidalTable(n, d);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const [, n, d] = x.shape;
      return x.add(this.table ? this.table.read() : tf.tensor(this.fixed!, [1, n, d]));
    });
  }
}
registerLayer(PosEmbed);
