import * as tf from '@tensorflow/tfjs';
import { zeroPad as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { torchUnary } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';

export const zeroPad = twin(def, (ctx, [x], p) =>
  applyLayer(tf.layers.zeroPadding2d({ padding: [[p.top, p.bottom], [p.left, p.right]], name: ctx.name() }), x),
  {
    // The pad value is −0 (equal to 0 in every comparison and sum): onnxruntime folds a Pad whose value is all-zero
    // bytes into a following MaxPool's pads, which pad with −∞, and so changes the max where a window is all negative.
    onnx: (ctx, [x], p) => ctx.op('Pad', [x, ctx.ints([0, 0, p.top, p.left, 0, 0, p.bottom, p.right], 'pads'), ctx.constant([-0], [], 'value')], { mode: 'constant' }),
    pytorch: (_ctx, p) => torchUnary(`nn.ZeroPad2d((${p.left}, ${p.right}, ${p.top}, ${p.bottom}))`),
  },
);

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [zeroPad];
