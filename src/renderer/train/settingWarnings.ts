import type { TrainConfig } from '../../shared/training/config';
import { formatNumber } from '../core/format';
import { plural } from '../../shared/plural';

/**
 * Settings that are valid but extreme: the Train panel warns beside the field and above Start, and still lets
 * the user train (an experiment may want a learning rate of 100 on purpose).
 */
export interface SettingWarning {
  /** The config path the warning is about (the field it is shown under). */
  path: string;
  message: string;
}

const ADAPTIVE = new Set(['adam', 'adamw', 'rmsprop', 'adagrad']);

export function settingWarnings(c: TrainConfig, trainSize?: number): SettingWarning[] {
  const out: SettingWarning[] = [];
  const lr = c.optimizer.lr;
  const adaptive = ADAPTIVE.has(c.optimizer.name);
  const usual = adaptive ? '1e-4 to 3e-3' : '1e-3 to 0.1';
  if (lr > 1) out.push({ path: 'optimizer.lr', message: `A learning rate of ${formatNumber(lr)} is extreme (usual for ${c.optimizer.name}: ${usual}): the loss will most likely diverge.` });
  else if (adaptive && lr > 0.05) out.push({ path: 'optimizer.lr', message: `A learning rate of ${formatNumber(lr)} is high for ${c.optimizer.name} (usual: ${usual}): the loss may diverge.` });
  else if (lr < 1e-6) out.push({ path: 'optimizer.lr', message: `A learning rate of ${formatNumber(lr)} is so small that the weights barely move (usual for ${c.optimizer.name}: ${usual}).` });
  if (c.optimizer.name === 'adamw' && c.optimizer.weightDecay > 0.5) out.push({ path: 'optimizer.weightDecay', message: `A weight decay of ${formatNumber(c.optimizer.weightDecay)} shrinks the weights towards 0 faster than they learn (usual: 0.01 to 0.1).` });
  if (c.regularization.l2 > 0.1) out.push({ path: 'regularization.l2', message: `An L2 penalty of ${formatNumber(c.regularization.l2)} dominates the loss (usual: 1e-5 to 1e-3).` });
  if (c.regularization.l1 > 0.01) out.push({ path: 'regularization.l1', message: `An L1 penalty of ${formatNumber(c.regularization.l1)} pushes most weights to 0 (usual: 1e-6 to 1e-4).` });
  const n = trainSize === undefined ? undefined : Math.min(trainSize, c.trainLimit ?? Infinity);
  if (n !== undefined && c.batchSize > n) out.push({ path: 'batchSize', message: `A batch of ${c.batchSize} is larger than the ${n} training samples: each epoch is one step over the whole set.` });
  if (['momentum', 'nesterov', 'rmsprop'].includes(c.optimizer.name) && c.optimizer.momentum > 0.999) out.push({ path: 'optimizer.momentum', message: `A momentum of ${c.optimizer.momentum} keeps almost every past step: updates barely respond to the gradient.` });
  if (c.clip.mode !== 'none' && c.clip.value < 1e-3) out.push({ path: 'clip.value', message: `Clipping at ${formatNumber(c.clip.value)} makes every update tiny.` });
  if (c.schedule.name === 'cosine' && c.schedule.warmupEpochs >= c.epochs) out.push({ path: 'schedule.warmupEpochs', message: `A warmup of ${plural(c.schedule.warmupEpochs, 'epoch')} is as long as the run (${plural(c.epochs, 'epoch')}): the learning rate never reaches its peak.` });
  if (c.loss.labelSmoothing > 0.3) out.push({ path: 'loss.labelSmoothing', message: `Label smoothing of ${c.loss.labelSmoothing} leaves the true class little more weight than the others (usual: 0.05 to 0.1).` });
  return out;
}
