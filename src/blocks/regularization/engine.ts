import * as tf from '@tensorflow/tfjs';
import { dropPath as dropPathDef, dropout as dropoutDef } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { torchUnary } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';
import { DropPath } from './layer';

export * from './layer';

export const dropout = twin(dropoutDef, (ctx, [x], p) => applyLayer(tf.layers.dropout({ rate: p.rate, name: ctx.name() }), x), {
  onnx: (ctx, [x]) => ctx.op('Identity', [x]),
  pytorch: (_ctx, p) => torchUnary(`nn.Dropout(${p.rate})`),
});
export const dropPath = twin(dropPathDef, (ctx, [x], p) => applyLayer(new DropPath({ name: ctx.name(), opts: { rate: p.rate } }), x), {
  onnx: (ctx, [x]) => ctx.op('Identity', [x]),
  pytorch: (_ctx, p) => torchUnary(`DropPath(${p.rate})`),
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [dropout, dropPath];
