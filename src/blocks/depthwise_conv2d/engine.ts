import * as tf from '@tensorflow/tfjs';
import { depthwiseConv2d as def } from './definition';
import { GeneralConv2D } from '../../main/engine/blocks/conv';
import { applyLayer } from '../../main/engine/blocks/layer';
import { resolvePadding } from '../../main/engine/blocks/padding';
import { convNode } from '../../main/engine/export/onnx/ops';
import { torchConv } from '../../main/engine/export/pytorch/ops';
import { twin, type BuildCtx } from '../../main/engine/blocks/types';

/** Depthwise conv: tfjs' DepthwiseConv2D, or the general conv (groups = C) when dilated. */
export function buildDepthwise(
  ctx: BuildCtx,
  input: tf.SymbolicTensor,
  p: { kernel: number; stride: number; padding: 'same' | 'valid' | 'explicit'; pad: number; dilation: number; multiplier: number; bias: boolean },
  name: string,
): tf.SymbolicTensor {
  const { x, padding } = resolvePadding(ctx, input, p.padding, p.pad);
  const c = input.shape[3] as number;
  if (p.dilation === 1) {
    return applyLayer(
      tf.layers.depthwiseConv2d({ kernelSize: p.kernel, strides: p.stride, padding, depthMultiplier: p.multiplier, useBias: p.bias, depthwiseInitializer: ctx.kernelInit('depthwise'), name }),
      x,
    );
  }
  const layer = new GeneralConv2D({
    name,
    opts: { filters: c * p.multiplier, kernel: p.kernel, stride: p.stride, padding, dilation: p.dilation, groups: c, useBias: p.bias, depthwise: true },
    inits: { kernel: ctx.kernelInit('depthwise') },
  });
  return applyLayer(layer, x);
}

export const depthwiseConv2d = twin(def, (ctx, [x], p) => buildDepthwise(ctx, x, p, ctx.name()), {
  onnx: (ctx, [x], p) => convNode(ctx, x, { ...p, groups: 1, depthwise: true }),
  pytorch: (ctx, p) => torchConv(ctx, { ...p, groups: 1, depthwise: true }),
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [depthwiseConv2d];
