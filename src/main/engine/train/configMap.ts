import type { Task } from '../../../shared/graph/types';
import type { TrainConfig } from '../../../shared/training/config';
import type { LossConfigInput } from './losses';
import type { OptimizerConfigInput } from './optimizers';

/**
 * The one place where the portable TrainConfig (src/shared/training) becomes the engine's optimizer, schedule and
 * loss configs. The names are the same on both sides; what happens here is choosing the fields each one takes,
 * L2 regularisation becoming coupled weight decay, and resolving the 'auto' loss for a task.
 */
export { scheduleConfig } from '../../../shared/training/schedulePreview';

export function optimizerConfig(c: TrainConfig): OptimizerConfigInput {
  const o = c.optimizer;
  const l2 = c.regularization.l2;
  switch (o.name) {
    case 'sgd':
    case 'adagrad':
      return { name: o.name, weightDecay: l2 };
    case 'momentum':
    case 'nesterov':
      return { name: o.name, momentum: o.momentum, weightDecay: l2 };
    case 'rmsprop':
      return { name: 'rmsprop', epsilon: o.epsilon, weightDecay: l2 };
    case 'adam':
      return { name: 'adam', beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, weightDecay: l2 };
    case 'adamw':
      return { name: 'adamw', beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, weightDecay: o.weightDecay };
  }
}

export function lossConfig(c: TrainConfig, _task: Task): LossConfigInput {
  const l = c.loss;
  switch (l.name) {
    // 'auto' is cross-entropy for every task that takes this loss (detection has its own, src/main/engine/train/boxLosses.ts).
    case 'auto':
    case 'cross_entropy':
    case 'bce':
      return { name: l.name === 'auto' ? 'cross_entropy' : l.name, labelSmoothing: l.labelSmoothing };
    case 'focal':
      return { name: 'focal', mode: 'multiclass', gamma: l.focalGamma, alpha: l.focalAlpha };
    case 'mse':
    case 'l1':
    case 'smooth_l1':
      return { name: l.name };
  }
}
