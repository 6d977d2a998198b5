import type { RunTelemetry } from './run';
import { trainConfigOf } from '../../shared/runs/runConfig';

export interface Progress {
  step: number;
  totalSteps: number | null;
  epoch: number;
  epochs: number;
  /** 0..1, or null when the total is not known yet. */
  fraction: number | null;
  /** Seconds left, or null (not known, paused, or finished). */
  eta: number | null;
  samplesPerSec: number | null;
}

/**
 * Progress of a run: the step against stepsPerEpoch × epochs, and the time left from the pace of the recent
 * steps (wall clock while running; pauses are not counted), falling back to the host's samples/s.
 */
export function progressOf(run: RunTelemetry, now = Date.now()): Progress {
  const s = run.summary;
  const step = Math.max(run.lastStep?.step ?? 0, s?.step ?? 0);
  const epochs = s?.epochs ?? (trainConfigOf(run.meta.config)?.epochs ?? 0);
  const epoch = run.epochs.length ? run.epochs[run.epochs.length - 1].epoch : (s?.epoch ?? 0);
  const spe = run.stepsPerEpoch;
  const totalSteps = spe && epochs ? spe * epochs : null;
  const state = s?.state;
  const done = state === 'completed' || state === 'stopped' || state === 'failed' || state === 'interrupted';
  const fraction = done && state === 'completed' ? 1 : totalSteps ? Math.min(1, step / totalSteps) : epochs ? Math.min(1, epoch / epochs) : null;
  const sps = run.lastStep?.samplesPerSec ?? null;
  const batchSize = trainConfigOf(run.meta.config)?.batchSize ?? 0;
  let eta: number | null = null;
  if (!done && state !== 'paused' && totalSteps) {
    const left = Math.max(0, totalSteps - step);
    const pts = run.pace.toArray();
    const first = pts[0];
    const last = pts[pts.length - 1];
    let stepsPerSec: number | null = null;
    if (first && last && last[1] > first[1] && last[0] > first[0]) stepsPerSec = ((last[1] - first[1]) * 1000) / (last[0] - first[0]);
    else if (sps && batchSize) stepsPerSec = sps / batchSize;
    if (stepsPerSec && stepsPerSec > 0) {
      // The time since the last step report is already spent.
      const since = last ? Math.max(0, (now - last[0]) / 1000) : 0;
      eta = Math.max(0, left / stepsPerSec - since);
    }
  }
  return { step, totalSteps, epoch, epochs, fraction, eta, samplesPerSec: sps };
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
