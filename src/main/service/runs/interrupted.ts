import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '../../util/atomicWrite';
import { checkpointsRoot, newestCheckpoint, PROGRESS_FILE, readCheckpointProgress } from '../../runs/checkpoints';
import type { RunRecord } from '../../../shared/runs/runRecord';

/** This process's lifetime, in run.json next to its pid (pids repeat across restarts, in containers often). */
export const SESSION = randomBytes(6).toString('hex');

/** What startup recovery found and did. */
export interface RunRecovery {
  /** Runs whose worker was gone, now `interrupted`. */
  interrupted: string[];
  /** Temp files and folders of writes cut off by a crash. */
  removedTemps: string[];
  /** Empty run folders left by a start that failed before its record was written. */
  removedEmpty: string[];
  /** Runs that could not be recovered, with why. */
  failed: string[];
}

/** The pid of another live process that trains this run, if any. */
export function otherOwner(record: RunRecord): number | undefined {
  if (record.pid === undefined || record.session === SESSION) return undefined;
  // Our own pid under another session is an earlier process that had the same pid: gone.
  return record.pid !== process.pid && processAlive(record.pid) ? record.pid : undefined;
}

/** The checkpoint a resume continues from: the newer of run.json's `last` and the newest complete epoch on disk. */
export async function resumePoint(runDir: string, record: RunRecord): Promise<string | undefined> {
  const recorded = record.checkpoints.last;
  const onDisk = await newestCheckpoint(runDir);
  const dir = recorded && join(checkpointsRoot(runDir), recorded);
  if (dir && existsSync(join(dir, PROGRESS_FILE))) {
    const at = await readCheckpointProgress(dir);
    if (!onDisk || (at.epoch ?? 0) >= onDisk.epoch) return recorded;
  }
  return onDisk?.name;
}

/** Why a run that is not training is not: the answer to pause/stop on it. */
export function whyNotRunning(r: RunRecord): string {
  switch (r.state) {
    case 'completed':
      return `it completed all ${r.epochs} epochs`;
    case 'stopped':
      return `it was stopped at epoch ${r.epoch} of ${r.epochs} (resume continues it)`;
    case 'failed':
      return `it failed${r.error ? `: ${r.error}` : ''}`;
    case 'interrupted':
      return r.error ? `it was interrupted. ${r.error}` : `it was interrupted when the lab closed, at epoch ${r.epoch} of ${r.epochs} (resume continues it from its last checkpoint)`;
    default:
      return `it is ${r.state}`;
  }
}
