import * as tf from '@tensorflow/tfjs';
import { globalAvgPool as avgDef, globalMaxPool as maxDef } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { twin, type BuildCtx, type OnnxCtx, type PytorchCtx, type PytorchModule } from '../../main/engine/blocks/types';

// tfjs' global pooling layers have no keepDims: a Reshape `__keep` restores the 1×1 axes.
function globalPool(kind: 'avg' | 'max') {
  return (ctx: BuildCtx, [x]: tf.SymbolicTensor[], p: { keepDims: boolean }): tf.SymbolicTensor => {
    const c = x.shape[3] as number;
    const args = { name: p.keepDims ? ctx.name('pool') : ctx.name() };
    const layer = kind === 'avg' ? tf.layers.globalAveragePooling2d(args) : tf.layers.globalMaxPooling2d(args);
    const y = applyLayer(layer, x);
    return p.keepDims ? applyLayer(tf.layers.reshape({ targetShape: [1, 1, c], name: ctx.name() }), y) : y;
  };
}

/** ONNX: GlobalXPool gives [N, C, 1, 1], which is the lab's [N, 1, 1, C] in the NCHW layout; Flatten drops the 1×1. */
const globalPoolOnnx = (op: string) => (ctx: OnnxCtx, [x]: string[], p: { keepDims: boolean }): string =>
  p.keepDims ? ctx.op(op, [x]) : ctx.op('Flatten', [ctx.op(op, [x], {}, 'pool')], { axis: 1 });

const globalPoolTorch = (fn: 'mean' | 'amax') => (_ctx: PytorchCtx, p: { keepDims: boolean }): PytorchModule => ({
  forward: (_, [x]) => `${x}.${fn}(dim=(2, 3)${p.keepDims ? ', keepdim=True' : ''})`,
});

export const globalAvgPool = twin(avgDef, globalPool('avg'), { onnx: globalPoolOnnx('GlobalAveragePool'), pytorch: globalPoolTorch('mean') });
export const globalMaxPool = twin(maxDef, globalPool('max'), { onnx: globalPoolOnnx('GlobalMaxPool'), pytorch: globalPoolTorch('amax') });

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [globalAvgPool, globalMaxPool];
