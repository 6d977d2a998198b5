import * as tf from '@tensorflow/tfjs';
import { upsample as def } from './definition';
import { applyLayer, NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';
import { upsampleBilinear, upsampleNearest } from '../../main/engine/blocks/ops';
import { torchUnary } from '../../main/engine/export/pytorch/ops';
import { twin, type OnnxAttr } from '../../main/engine/blocks/types';

/**
 * Integer-factor upsampling. tfjs' UpSampling2D goes through resize kernels whose bilinear gradient ignores
 * half-pixel centres; these formulations are exact (PyTorch align_corners=False) and cheap on wasm.
 */
export class Upsample extends NetsmithLayer<{ scale: number; mode: 'nearest' | 'bilinear' }> {
  static className = 'Netsmith>Upsample';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = oneShape(inputShape);
    const s = this.opts.scale;
    return [b, h === null ? null : h * s, w === null ? null : w * s, c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      if (this.opts.scale === 1) return x.clone();
      return this.opts.mode === 'bilinear' ? upsampleBilinear(x, this.opts.scale) : upsampleNearest(x, this.opts.scale);
    });
  }
}
registerLayer(Upsample);

export const upsample = twin(def, (ctx, [x], p) => applyLayer(new Upsample({ name: ctx.name(), opts: { scale: p.scale, mode: p.mode } }), x), {
  // Nearest: output i reads input ⌊i/s⌋ (asymmetric + floor); bilinear: half-pixel centres, edges clamped.
  onnx: (ctx, [x], p) => {
    const scales = ctx.constant([1, 1, p.scale, p.scale], [4], 'scales');
    const attrs: Record<string, OnnxAttr> = p.mode === 'bilinear' ? { mode: 'linear', coordinate_transformation_mode: 'half_pixel' } : { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
    return ctx.op('Resize', [x, '', scales], attrs);
  },
  pytorch: (_ctx, p) => torchUnary(p.mode === 'bilinear' ? `nn.Upsample(scale_factor=${p.scale}, mode='bilinear', align_corners=False)` : `nn.Upsample(scale_factor=${p.scale}, mode='nearest')`),
});
