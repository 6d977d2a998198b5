import { yoloHead as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { convNode } from '../../main/engine/export/onnx/ops';
import { torchConv } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';
import { YoloHead } from './layer';

export * from './layer';

/** The head's 1×1 conv (kernel [1, 1, C, A·(5+K)] + bias) for the exporters. */
const POINTWISE = { kernel: 1, stride: 1, padding: 'valid', pad: 0, groups: 1, depthwise: false } as const;

export const yoloHead = twin(def, (ctx, [x], p) =>
  applyLayer(
    new YoloHead({ name: ctx.name(), opts: { classes: p.classes, anchors: p.anchors, stride: p.stride }, inits: { kernel: ctx.kernelInit('conv') } }),
    x,
  ),
  {
    // The raw [B, H, W, A·(5+K)] predictions: decoding (σ, anchors, stride) and NMS stay outside the model.
    onnx: (ctx, [x]) => convNode(ctx, x, POINTWISE),
    pytorch: (ctx) => torchConv(ctx, POINTWISE),
  },
);

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [yoloHead];
