import type { Task } from '../../shared/graph/types';
import { taskMetricNames } from '../../shared/training/metricNames';

/** What the learning-curve charts call their numbers, from the run's task and the metric name its step events carry. */
export interface CurveLabels {
  /** The per-step training metric (the step events' `accuracy`). */
  step: string;
  /** The validation line of the per-epoch chart (the epoch events' `val.accuracy`). */
  val: string;
  /** The task's headline validation metric, drawn as its own line when it is not `val` (segmentation: mIoU). */
  headline: string;
  /** Whether the per-step training metric measures the same thing as `val` (so a train line belongs on the epoch chart). */
  trainOnEpochChart: boolean;
  epochTitle: string;
  stepTitle: string;
}

/** Capitalised for a title, except names like mAP@0.5 and mIoU whose case carries meaning. */
const cap = (s: string): string => (/^[a-z][a-z ]/.test(s) ? s[0].toUpperCase() + s.slice(1) : s);

/** Old runs (no metricName on their events) fall back to the task's names, which is 'accuracy' for classification. */
export function curveLabels(task: Task | undefined, stepMetricName?: string): CurveLabels {
  const names = taskMetricNames(task ?? 'classification');
  const step = stepMetricName || names.step;
  const val = names.valAccuracy;
  const headline = names.headline;
  return {
    step,
    val,
    headline,
    trainOnEpochChart: step === val,
    epochTitle: headline === val ? `${cap(val)} per epoch` : `${cap(val)} and ${headline} per epoch`,
    stepTitle: `Training ${step} per step`,
  };
}

/** A run's headline validation number for the runs table: mAP@0.5 / mIoU where the record has them, else accuracy. */
export function headlineMetric(metrics: Record<string, number> | undefined): { name: string; value: number | undefined } {
  for (const task of ['detection', 'segmentation'] as const) {
    const n = taskMetricNames(task);
    const v = metrics?.[`val_${n.key}`];
    if (v !== undefined) return { name: n.headline, value: v };
  }
  return { name: 'accuracy', value: metrics?.val_accuracy };
}

/** The runs table's column header: the one metric every run shares, or a neutral name when they differ. */
export function headlineColumn(runs: readonly { metrics?: Record<string, number> }[] | null | undefined): string {
  const names = new Set((runs ?? []).filter((r) => r.metrics && Object.keys(r.metrics).length).map((r) => headlineMetric(r.metrics).name));
  if (names.size === 1) return `val ${[...names][0] === 'accuracy' ? 'acc' : [...names][0]}`;
  return names.size === 0 ? 'val acc' : 'val metric';
}
