import { GraphBuilder } from '../../graph/builder';

/**
 * The two MNIST tasks the transfer and forgetting studies share: task A = digits 0–4, task B = digits 5–9, each a
 * 5-way classification with its own head on one backbone (conv 3×3 stride 2 → BN → ReLU twice, Dense → BatchNorm1d → ReLU).
 */
export const BACKBONE_CONV: readonly number[] = [16, 32];
export const BACKBONE_UNITS: readonly number[] = [64];
export const TASK_A_DIGITS: readonly number[] = [0, 1, 2, 3, 4];
export const TASK_B_DIGITS: readonly number[] = [5, 6, 7, 8, 9];
/** Task A (the source) training: images per digit and epochs, Adam at 10⁻³, batch 64. */
export const SOURCE_PER_DIGIT = 1000;
export const SOURCE_EPOCHS = 5;
export const BN_MOMENTUM = 0.1;
export const BN_EPS = 1e-5;

/** One accuracy a study reports per variant, for the study's bar chart. */
export interface TaskBar {
  key: string;
  label: string;
  value: number;
}

export const taskBarsOf = (study: Record<string, unknown> | undefined): TaskBar[] | undefined => (study && Array.isArray(study.bars) ? (study.bars as TaskBar[]) : undefined);

export function backboneGraph(name: string) {
  return () => {
    const b = new GraphBuilder({ name, input: [28, 28, 1] });
    let x = b.input();
    BACKBONE_CONV.forEach((f, i) => {
      x = b.add('core/conv2d', { filters: f, kernel: 3, stride: 2, padding: 'same', bias: false }, x, { label: `conv${i + 1}` });
      x = b.add('norm/batchnorm', {}, x, { label: `bn_c${i + 1}` });
      x = b.add('act/relu', {}, x, { label: `relu_c${i + 1}` });
    });
    x = b.add('reshape/flatten', {}, x);
    BACKBONE_UNITS.forEach((u, i) => {
      x = b.add('core/dense', { units: u, bias: false }, x, { label: `dense${i + 1}` });
      x = b.add('norm/batchnorm', {}, x, { label: `bn${i + 1}` });
      x = b.add('act/relu', {}, x, { label: `relu${i + 1}` });
    });
    b.add('head/classify', { classes: 5 }, x, { label: 'head' });
    return b.build();
  };
}
