// Kernels of the fused training-mode BatchNorm op (../batchNormTraining.ts):
// batch statistics in two passes, and the whole backward pass (dx, dgamma,
// dbeta) in two more, instead of the ~17 full-size elementwise ops that
// autodiff of moments + batchNorm runs.
import { type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { input, release } from './kernelUtil';
import { bnKernels } from './simd/bnKernels';
import { ptr, simdKernels } from './simd/module';

export const BN_MOMENTS = 'NetsmithBatchNormMoments';
export const BN_GRAD = 'NetsmithBatchNormGrad';

function rowsCols(x: TensorInfo): [number, number] {
  const cols = x.shape[x.shape.length - 1];
  return [util.sizeFromShape(x.shape) / cols, cols];
}

/** x [..., C] -> mean [C], (biased) variance [C] over all other axes. */
export const bnMomentsConfig: KernelConfig = {
  kernelName: BN_MOMENTS,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const wasm = backend as BackendWasm;
    const x = input(inputs, 'x');
    const [rows, cols] = rowsCols(x);
    const mean = wasm.makeOutput([cols], 'float32');
    const variance = wasm.makeOutput([cols], 'float32');
    simdKernels(wasm).colsum(ptr(wasm, x), ptr(wasm, mean), rows, cols);
    const m = wasm.typedArrayFromHeap(mean);
    for (let c = 0; c < cols; c++) m[c] /= rows;
    bnKernels(wasm).sqDev(ptr(wasm, x), ptr(wasm, mean), ptr(wasm, variance), rows, cols);
    const v = wasm.typedArrayFromHeap(variance);
    for (let c = 0; c < cols; c++) v[c] /= rows;
    return [mean, variance];
  },
};

/**
 * (dy, x, gamma, mean, variance) -> [dx, dgamma, dbeta] of
 * y = gamma * (x - mean) / sqrt(variance + eps) + beta with mean and variance
 * the batch statistics of x:
 *   dx = gamma * invstd * (dy - sum(dy)/N - (x - mean) * invstd^2 * sum(dy * (x - mean))/N),
 * folded per channel into dx = a * dy + c * x + b.
 */
export const bnGradConfig: KernelConfig = {
  kernelName: BN_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const wasm = backend as BackendWasm;
    const [dy, x, gamma, mean, variance] = ['dy', 'x', 'gamma', 'mean', 'variance'].map((k) => input(inputs, k));
    const { epsilon } = attrs as unknown as { epsilon: number };
    const [rows, cols] = rowsCols(x);
    const dbeta = wasm.makeOutput([cols], 'float32');
    const dgamma = wasm.makeOutput([cols], 'float32');
    const coef = wasm.makeOutput([3, cols], 'float32');
    const k = bnKernels(wasm);
    k.gradSums(ptr(wasm, x), ptr(wasm, dy), ptr(wasm, mean), ptr(wasm, dbeta), ptr(wasm, dgamma), rows, cols);
    // Views after the last allocation (growing the heap detaches older views).
    const dx = wasm.makeOutput([...x.shape], 'float32');
    const [g, m, v, sumDy, sumDyXc, cf] = [gamma, mean, variance, dbeta, dgamma, coef].map((t) => wasm.typedArrayFromHeap(t));
    for (let c = 0; c < cols; c++) {
      const invstd = 1 / Math.sqrt(v[c] + epsilon);
      const a = g[c] * invstd;
      const cc = (-a * invstd * invstd * sumDyXc[c]) / rows;
      cf[c] = a;
      cf[cols + c] = cc;
      cf[2 * cols + c] = (-a * sumDy[c]) / rows - cc * m[c];
      sumDyXc[c] *= invstd; // becomes dgamma
    }
    const base = ptr(wasm, coef);
    k.affine2(ptr(wasm, dy), ptr(wasm, x), base, base + 4 * cols, base + 8 * cols, ptr(wasm, dx), rows, cols);
    release(wasm, coef);
    return [dx, dgamma, dbeta];
  },
};
