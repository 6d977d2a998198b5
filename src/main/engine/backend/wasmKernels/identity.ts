// tfjs-wasm copies the data for Identity and for a Cast to the same dtype.
// Tensors are immutable (variables rebind their data on assign), so sharing
// the data with a reference count, as tfjs-cpu does, is safe and free.
import { type CastAttrs, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { input, runOriginal } from './kernelUtil';

function share(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const x = input(inputs, 'x');
    if (x.dtype === 'string') return runOriginal(backend as BackendWasm, 'Identity', inputs);
    return share(backend as BackendWasm, x);
  },
};

export const castConfig: KernelConfig = {
  kernelName: 'Cast',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dtype } = attrs as unknown as CastAttrs;
    const x = input(inputs, 'x');
    if (x.dtype === dtype && dtype !== 'string') return share(backend as BackendWasm, x);
    return runOriginal(backend as BackendWasm, 'Cast', inputs, attrs as NamedAttrMap);
  },
};
