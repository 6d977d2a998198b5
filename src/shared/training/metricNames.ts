import type { Task } from '../graph/types';

/** What a task's numbers mean, for progress lines, tables and events. */
export interface TaskMetricNames {
  /** The headline validation metric (higher is better): the run record stores it as `val_<key>`. */
  key: 'accuracy' | 'mAP50' | 'mIoU';
  headline: string;
  /** The cheap per-step training metric (`accuracy` in step events and in an epoch's train summary). */
  step: string;
  /** The validation report's `accuracy` field. */
  valAccuracy: string;
}

const NAMES: Record<Task, TaskMetricNames> = {
  classification: { key: 'accuracy', headline: 'accuracy', step: 'accuracy', valAccuracy: 'accuracy' },
  detection: { key: 'mAP50', headline: 'mAP@0.5', step: 'box IoU', valAccuracy: 'mAP@0.5' },
  segmentation: { key: 'mIoU', headline: 'mIoU', step: 'pixel accuracy', valAccuracy: 'pixel accuracy' },
};

export const taskMetricNames = (task: Task): TaskMetricNames => NAMES[task] ?? NAMES.classification;
