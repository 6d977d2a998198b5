import { join } from 'node:path';
import { removeStaleTemps } from '../util/atomicWrite';
import type { RunRecovery } from './runs/interrupted';

export interface StartupRecovery extends RunRecovery {
  /** One line for the host's log, or '' when there was nothing to recover. */
  summary: string;
}

/**
 * What a host does once at startup, before it serves anything: runs whose worker died with the last session
 * become `interrupted` (resumable), and temp files of atomic writes cut off by a crash are removed from the
 * data folder (settings, autosave), the projects folder, experiments and runs.
 */
export async function recoverAtStartup(opts: { home: string; projectsDir: string; runs?: { recover(): Promise<RunRecovery> } }): Promise<StartupRecovery> {
  const removedTemps = [
    ...(await removeStaleTemps(opts.home)),
    ...(await removeStaleTemps(opts.projectsDir, { depth: 8 })),
    ...(await removeStaleTemps(join(opts.home, 'experiments'), { depth: 2 })),
  ];
  const none: RunRecovery = { interrupted: [], removedTemps: [], removedEmpty: [], failed: [] };
  const runs = opts.runs ? await opts.runs.recover().catch((err: unknown): RunRecovery => ({ ...none, failed: [`the runs folder: ${err instanceof Error ? err.message : String(err)}`] })) : none;
  const report = { interrupted: runs.interrupted, removedTemps: [...removedTemps, ...runs.removedTemps], removedEmpty: runs.removedEmpty, failed: runs.failed };
  const parts = [
    report.interrupted.length ? `${report.interrupted.length} run${report.interrupted.length > 1 ? 's' : ''} interrupted by the last session marked resumable (${report.interrupted.join(', ')})` : '',
    report.removedTemps.length ? `${report.removedTemps.length} leftover temp file${report.removedTemps.length > 1 ? 's' : ''} of unfinished saves removed` : '',
    report.removedEmpty.length ? `${report.removedEmpty.length} empty run folder${report.removedEmpty.length > 1 ? 's' : ''} removed` : '',
    report.failed.length ? `could not recover ${report.failed.join('; ')}` : '',
  ].filter(Boolean);
  const prefix = report.interrupted.length + report.removedTemps.length + report.removedEmpty.length ? 'recovered' : 'startup recovery';
  return { ...report, summary: parts.length ? `${prefix}: ${parts.join('; ')}` : '' };
}
