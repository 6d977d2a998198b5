import * as tf from '@tensorflow/tfjs';
import { zeroPad as def } from '../../../shared/blocks/zeropad';
import { applyLayer } from './layer';
import { torchUnary } from '../export/pytorch/ops';
import { twin } from './types';

export const zeroPad = twin(def, (ctx, [x], p) =>
  applyLayer(tf.layers.zeroPadding2d({ padding: [[p.top, p.bottom], [p.left, p.right]], name: ctx.name() }), x),
  {
    onnx: (ctx, [x], p) => ctx.op('Pad', [x, ctx.ints([0, 0, p.top, p.left, 0, 0, p.bottom, p.right], 'pads')], { mode: 'constant' }),
    pytorch: (_ctx, p) => torchUnary(`nn.ZeroPad2d((${p.left}, ${p.right}, ${p.top}, ${p.bottom}))`),
  },
);
