import { upsample as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { torchUnary } from '../../main/engine/export/pytorch/ops';
import { twin, type OnnxAttr } from '../../main/engine/blocks/types';
import { Upsample } from './layer';

export * from './layer';

export const upsample = twin(def, (ctx, [x], p) => applyLayer(new Upsample({ name: ctx.name(), opts: { scale: p.scale, mode: p.mode } }), x), {
  // Nearest: output i reads input ⌊i/s⌋ (asymmetric + floor); bilinear: half-pixel centres, edges clamped.
  onnx: (ctx, [x], p) => {
    const scales = ctx.constant([1, 1, p.scale, p.scale], [4], 'scales');
    const attrs: Record<string, OnnxAttr> = p.mode === 'bilinear' ? { mode: 'linear', coordinate_transformation_mode: 'half_pixel' } : { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
    return ctx.op('Resize', [x, '', scales], attrs);
  },
  pytorch: (_ctx, p) => torchUnary(p.mode === 'bilinear' ? `nn.Upsample(scale_factor=${p.scale}, mode='bilinear', align_corners=False)` : `nn.Upsample(scale_factor=${p.scale}, mode='nearest')`),
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [upsample];
