import { toTfInitializer, type InitializerConfigInput, type KernelKind, type TfInitializer } from '../train/initializers';

/**
 * Kernel initialisation, chosen globally or per node. 'auto' is He (Kaiming) normal, fan-in, for conv kernels
 * and Xavier (Glorot) uniform for dense and attention projections. Biases start at zero; normalisation scales
 * at one. A full InitializerConfig (train/initializers.ts) is accepted too.
 */
export const INIT_NAMES = ['auto', 'he_normal', 'he_uniform', 'xavier_normal', 'xavier_uniform', 'glorot_normal', 'glorot_uniform', 'zeros', 'normal'] as const;
export type InitName = (typeof INIT_NAMES)[number];
export type InitChoice = InitName | InitializerConfigInput;

export function initConfig(choice: InitChoice, kind: KernelKind): InitializerConfigInput {
  if (typeof choice !== 'string') return choice;
  switch (choice) {
    case 'auto':
      return kind === 'dense' ? { kind: 'glorotUniform' } : { kind: 'heNormal' };
    case 'he_normal':
      return { kind: 'heNormal' };
    case 'he_uniform':
      return { kind: 'heUniform' };
    case 'xavier_normal':
    case 'glorot_normal':
      return { kind: 'glorotNormal' };
    case 'xavier_uniform':
    case 'glorot_uniform':
      return { kind: 'glorotUniform' };
    case 'zeros':
      return { kind: 'zeros' };
    case 'normal':
      return { kind: 'normal' };
  }
}

export function kernelInitializer(choice: InitChoice, kind: KernelKind, seed?: number): TfInitializer {
  return toTfInitializer(initConfig(choice, kind), kind, seed);
}

/** Distinct, reproducible seeds for every random weight of a seeded compile. */
export function seedSequence(seed: number | undefined): () => number | undefined {
  let i = 0;
  return () => (seed === undefined ? undefined : (Math.imul(seed | 0, 0x9e3779b1) + 0x632be5ab * ++i) >>> 0);
}
