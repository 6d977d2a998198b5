import type { TrainConfig } from './config';
import { sampleSchedule, type ScheduleConfigInput, type SchedulePoint } from './schedules';

/** The schedule config of a run: the TrainConfig's schedule with the optimizer's learning rate. */
export function scheduleConfig(c: TrainConfig, stepsPerEpoch: number): ScheduleConfigInput {
  const s = c.schedule;
  const lr = c.optimizer.lr;
  switch (s.name) {
    case 'constant':
      return { name: 'constant', lr };
    case 'step':
      return { name: 'step', lr, stepSize: Math.max(1, Math.round(s.stepEpochs)), gamma: s.gamma };
    case 'exponential':
      return { name: 'exponential', lr, gamma: s.gamma };
    case 'cosine':
      return { name: 'cosine', lr, warmupSteps: Math.round(s.warmupEpochs * stepsPerEpoch), minLr: lr * s.minLrFactor };
    case 'onecycle':
      return { name: 'onecycle', maxLr: lr };
  }
}

/** Learning rate over the whole run, for the Train panel's preview plot. */
export function previewSchedule(c: TrainConfig, stepsPerEpoch: number, points = 100): SchedulePoint[] {
  return sampleSchedule(scheduleConfig(c, stepsPerEpoch), stepsPerEpoch * c.epochs, points, stepsPerEpoch);
}
