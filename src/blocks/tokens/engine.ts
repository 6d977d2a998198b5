import * as tf from '@tensorflow/tfjs';
import { classToken as classTokenDef, clsPool as clsPoolDef, posEmbed as posEmbedDef } from './definition';
import { toTfInitializer } from '../../main/engine/train/initializers';
import { applyLayer, NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';
import { twin } from '../../main/engine/blocks/types';

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

/** Token `[cls]` (position 0) or the mean over tokens: `[N, D]` → `[D]`. */
export class ClsPool extends NetsmithLayer<{ mode: 'token' | 'mean' }> {
  static className = 'Netsmith>ClsPool';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, , d] = oneShape(inputShape);
    return [b, d];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const [b, , d] = x.shape;
      return this.opts.mode === 'mean' ? x.mean(1) : x.slice([0, 0, 0], [b, 1, d]).reshape([b, d]);
    });
  }
}
registerLayer(ClsPool);

// Small random starts (std 0.02, as timm's ViT), so tokens and positions are distinguishable from step 0.
const smallNormal = (seed: number | undefined) => toTfInitializer({ kind: 'normal', std: 0.02 }, undefined, seed);

export const classToken = twin(
  classTokenDef,
  (ctx, [x]) => applyLayer(new ClassToken({ name: ctx.name(), opts: {}, inits: { token: smallNormal(ctx.seed()) } }), x),
  {
    // The token expanded to [batch, 1, D] (batch read from the input's shape), then prepended.
    onnx: (ctx, [x]) => {
      const t = ctx.weights().token;
      const batch = ctx.op('Slice', [ctx.op('Shape', [x], {}, 'shape'), ctx.ints([0], 'begin'), ctx.ints([1], 'end')], {}, 'batch');
      const target = ctx.op('Concat', [batch, ctx.ints([1, t.shape[2]], 'tail')], { axis: 0 }, 'target');
      const tokens = ctx.op('Expand', [ctx.constant(t.data, t.shape, 'token'), target], {}, 'expand');
      return ctx.op('Concat', [tokens, x], { axis: 1 });
    },
    pytorch: (ctx) => {
      const t = ctx.weights().token;
      return { module: `ClassToken(${t.shape[2]})`, forward: (self, [x]) => `${self}(${x})`, state: { token: t } };
    },
  },
);
export const posEmbed = twin(
  posEmbedDef,
  (ctx, [x], p) => applyLayer(new PosEmbed({ name: ctx.name(), opts: { mode: p.mode }, inits: { table: smallNormal(ctx.seed()) } }), x),
  {
    onnx: (ctx, [x], p) => {
      const [, n, d] = ctx.inputShapes[0] as number[];
      const table = p.mode === 'learned' ? ctx.weights().table : { data: sinusoidalTable(n, d), shape: [1, n, d] };
      return ctx.op('Add', [x, ctx.constant(table.data, table.shape, 'table')]);
    },
    pytorch: (ctx, p) => {
      const [, n, d] = ctx.inputShapes[0] as number[];
      const table = p.mode === 'learned' ? ctx.weights().table : { data: sinusoidalTable(n, d), shape: [1, n, d] };
      return { module: `PosEmbed(${n}, ${d}, learned=${p.mode === 'learned' ? 'True' : 'False'})`, forward: (self, [x]) => `${self}(${x})`, state: { table } };
    },
  },
);
export const clsPool = twin(clsPoolDef, (ctx, [x], p) => applyLayer(new ClsPool({ name: ctx.name(), opts: { mode: p.mode } }), x), {
  onnx: (ctx, [x], p) =>
    p.mode === 'mean'
      ? ctx.op('ReduceMean', [x], { axes: [1], keepdims: 0 })
      : ctx.op('Squeeze', [ctx.op('Gather', [x, ctx.ints([0], 'index')], { axis: 1 }, 'gather'), ctx.ints([1], 'axes')]),
  pytorch: (_ctx, p) => ({ forward: (_, [x]) => (p.mode === 'mean' ? `${x}.mean(dim=1)` : `${x}[:, 0]`) }),
});
