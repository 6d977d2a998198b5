import type { PytorchCtx, PytorchModule } from '../../blocks/types';
import { onnxPads, type SpatialSpec } from '../onnx/ops';

/** Max pooling: padding never wins (PyTorch pads with −∞); asymmetric TF 'same' pads go through F.pad(−inf). */
export function torchMaxPool(ctx: PytorchCtx, spec: SpatialSpec): PytorchModule {
  const [t, l, b, r] = onnxPads(ctx.inputShapes[0], spec);
  const fits = t === b && l === r && 2 * t <= spec.kernel && 2 * l <= spec.kernel;
  const module = `nn.MaxPool2d(${spec.kernel}, stride=${spec.stride}, padding=${fits ? `(${t}, ${l})` : 0})`;
  return { module, forward: (self, [x]) => (fits ? `${self}(${x})` : `${self}(F.pad(${x}, (${l}, ${r}, ${t}, ${b}), value=float('-inf')))`) };
}

/**
 * Average pooling: explicit padding counts its zeros (count_include_pad); TF 'same' averages only real pixels,
 * which for asymmetric pads is the mean over the padded input divided by the mean of a padded mask.
 */
export function torchAvgPool(ctx: PytorchCtx, spec: SpatialSpec): PytorchModule {
  const [t, l, b, r] = onnxPads(ctx.inputShapes[0], spec);
  const k = spec.kernel;
  const s = spec.stride;
  if (t + l + b + r === 0) return { module: `nn.AvgPool2d(${k}, stride=${s})`, forward: (self, [x]) => `${self}(${x})` };
  const symmetric = t === b && l === r && 2 * t <= k && 2 * l <= k;
  if (symmetric) {
    const include = spec.padding === 'explicit' ? 'True' : 'False';
    return { module: `nn.AvgPool2d(${k}, stride=${s}, padding=(${t}, ${l}), count_include_pad=${include})`, forward: (self, [x]) => `${self}(${x})` };
  }
  const pad = `(${l}, ${r}, ${t}, ${b})`;
  if (spec.padding === 'explicit') return { module: `nn.AvgPool2d(${k}, stride=${s})`, forward: (self, [x]) => `${self}(F.pad(${x}, ${pad}))` };
  return {
    module: `nn.AvgPool2d(${k}, stride=${s})`,
    forward: (self, [x]) => `${self}(F.pad(${x}, ${pad})) / ${self}(F.pad(torch.ones_like(${x}[:, :1]), ${pad}))`,
  };
}
