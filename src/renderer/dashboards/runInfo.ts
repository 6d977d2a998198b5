import { blockByType } from '../../shared/blocks';
import type { GraphDoc } from '../../shared/graph/types';
import type { RunTelemetry } from '../telemetry/run';
import { trainConfigOf } from '../../shared/runs/runConfig';

/** What the dashboards derive from a run's meta, summary and last report. */

export function taskOf(run: RunTelemetry): 'classification' | 'detection' | 'segmentation' {
  if (run.summary?.task) return run.summary.task;
  const g = graphOf(run);
  if (g?.meta.task === 'detection' || g?.meta.task === 'segmentation') return g.meta.task;
  const r = run.lastEval?.report;
  if (r?.detection) return 'detection';
  if (r?.segmentation) return 'segmentation';
  return 'classification';
}

export function graphOf(run: RunTelemetry): GraphDoc | undefined {
  return run.meta.graph;
}

export function classCount(run: RunTelemetry): number | undefined {
  if (run.meta.classes?.length) return run.meta.classes.length;
  const r = run.lastEval?.report;
  return r?.confusion?.length ?? r?.perClass?.length;
}

export function classNames(run: RunTelemetry): string[] {
  const n = classCount(run) ?? 0;
  const names = run.meta.classes ?? [];
  return Array.from({ length: n }, (_, i) => names[i] ?? String(i));
}

/** ln K: the cross-entropy of a uniform guess (classification only). */
export function chanceLoss(run: RunTelemetry): number | undefined {
  if (taskOf(run) !== 'classification') return undefined;
  const k = classCount(run);
  return k && k > 1 ? Math.log(k) : undefined;
}

export function plannedEpochs(run: RunTelemetry): number {
  const fromConfig = trainConfigOf(run.meta.config)?.epochs ?? 0;
  return Math.max(run.summary?.epochs ?? 0, fromConfig, run.epochs.length ? run.epochs[run.epochs.length - 1].epoch : 0, 1);
}

export function totalSteps(run: RunTelemetry): number | undefined {
  const spe = run.stepsPerEpoch;
  return spe ? spe * plannedEpochs(run) : undefined;
}

/** Node id → label for the run's graph (probe layers name nodes by id). */
export function nodeLabels(run: RunTelemetry): Map<string, string> {
  const g = graphOf(run);
  return new Map((g?.nodes ?? []).map((n) => [n.id, n.label || n.id]));
}

export function hasResidual(g: GraphDoc | undefined): boolean | undefined {
  if (!g) return undefined;
  return g.nodes.some((n) => blockByType(n.type)?.residual === true);
}

/** Whether the graph normalises with batch statistics (a block probed as 'batchnorm'). */
export function hasBatchNorm(g: GraphDoc | undefined): boolean | undefined {
  if (!g) return undefined;
  return g.nodes.some((n) => blockByType(n.type)?.probe?.kind === 'batchnorm');
}
