import * as tf from '@tensorflow/tfjs';
import { patchEmbed as def } from '../../../shared/blocks/patch_embed';
import { applyLayer } from './layer';
import { twin } from './types';

/** A conv with kernel = stride = p (`__proj`), then a Reshape of the (H/p)×(W/p) grid into N tokens. */
export const patchEmbed = twin(def, (ctx, [x], p) => {
  const [, h, w] = x.shape as number[];
  const grid = applyLayer(
    tf.layers.conv2d({ filters: p.dim, kernelSize: p.patch, strides: p.patch, padding: 'valid', kernelInitializer: ctx.kernelInit('conv'), name: ctx.name('proj') }),
    x,
  );
  return applyLayer(tf.layers.reshape({ targetShape: [(h / p.patch) * (w / p.patch), p.dim], name: ctx.name() }), grid);
});
