import type { Task } from '../../../shared/graph/types';
import type { TrainConfig } from '../../../shared/training/config';
import type { LossConfigInput } from './losses';
import type { OptimizerConfigInput } from './optimizers';

/** Maps the portable TrainConfig (src/shared/training) onto the engine's optimizer/schedule/loss configs. */
export { scheduleConfig } from '../../../shared/training/schedulePreview';

export function optimizerConfig(c: TrainConfig): OptimizerConfigInput {
  const o = c.optimizer;
  const l2 = c.regularization.l2;
  switch (o.name) {
    case 'sgd':
      return { kind: 'sgd', momentum: 0, weightDecay: l2 };
    case 'momentum':
      return { kind: 'sgd', momentum: o.momentum, weightDecay: l2 };
    case 'nesterov':
      return { kind: 'sgd', momentum: o.momentum, nesterov: true, weightDecay: l2 };
    case 'adagrad':
      return { kind: 'adagrad', weightDecay: l2 };
    case 'rmsprop':
      return { kind: 'rmsprop', eps: o.epsilon, weightDecay: l2 };
    case 'adam':
      return { kind: 'adam', beta1: o.beta1, beta2: o.beta2, eps: o.epsilon, weightDecay: l2 };
    case 'adamw':
      return { kind: 'adamw', beta1: o.beta1, beta2: o.beta2, eps: o.epsilon, weightDecay: o.weightDecay };
  }
}

export function lossConfig(c: TrainConfig, _task: Task): LossConfigInput {
  const l = c.loss;
  // 'auto' is cross-entropy for every task that takes this loss (detection has its own, src/main/engine/train/boxLosses.ts).
  const name = l.name === 'auto' ? 'cross_entropy' : l.name;
  switch (name) {
    case 'cross_entropy':
      return { kind: 'crossEntropy', labelSmoothing: l.labelSmoothing };
    case 'bce':
      return { kind: 'binaryCrossEntropy', labelSmoothing: l.labelSmoothing };
    case 'focal':
      return { kind: 'focal', mode: 'multiclass', gamma: l.focalGamma, alpha: l.focalAlpha };
    case 'mse':
      return { kind: 'mse' };
    case 'l1':
      return { kind: 'l1' };
    case 'smooth_l1':
      return { kind: 'smoothL1' };
  }
}
