// Registers our wasm kernels. Must run after the wasm backend is initialized:
// the XNNPACK BatchMatMul we delegate to is set up (cwrap) at backend init.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import { batchMatMulConfig, fusedMatMulConfig } from './batchMatMul';
import { conv2dConfig, fusedConv2dConfig } from './conv2d';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { installCpuFallbacks } from './cpuFallback';
import { depthwiseBackpropFilterConfig } from './depthwiseBackpropFilter';
import { depthwiseBackpropInputConfig } from './depthwiseBackpropInput';
import { rememberOriginal } from './kernelUtil';
import { batchNormConfig } from './batchNorm';
import { bnGradConfig, bnMomentsConfig } from './batchNormTraining';
import { binaryConfigs } from './binary';
import { castConfig, identityConfig } from './identity';
import { maxPoolGradConfig } from './maxPoolGrad';
import { meanConfig, sumConfig } from './reduce';
import { simdSupported } from './simd/module';
import { padV2Config } from './pad';
import { sliceConfig } from './slice';
import { tileConfig } from './tile';
import { transposeConfig } from './transpose';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum';

export { fallbackOpsUsed, onFallback, resetFallbackOps } from './cpuFallback';

export const WASM_KERNELS: KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  unsortedSegmentSumConfig,
  tileConfig,
  sliceConfig,
  padV2Config,
  batchMatMulConfig,
  identityConfig,
  castConfig,
];

/** Kernels that exist only as our SIMD code (registered when wasm SIMD compiles). */
export const SIMD_KERNELS: KernelConfig[] = [
  sumConfig, meanConfig, maxPoolGradConfig, transposeConfig, batchNormConfig, conv2dConfig, fusedConv2dConfig, fusedMatMulConfig,
  ...binaryConfigs, bnMomentsConfig, bnGradConfig,
];

let installed: string[] | null = null;

/** Installs our kernels and the cpu-copy safety net; returns the kernels left to the safety net. */
export function installWasmKernels(): string[] {
  if (installed != null) return installed;
  for (const config of simdSupported() ? [...WASM_KERNELS, ...SIMD_KERNELS] : WASM_KERNELS) {
    if (getKernel(config.kernelName, 'wasm') != null) {
      rememberOriginal(config.kernelName);
      unregisterKernel(config.kernelName, 'wasm');
    }
    registerKernel(config);
  }
  installed = installCpuFallbacks('wasm');
  return installed;
}
