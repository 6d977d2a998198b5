import { randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { sweepDocSchema, type SweepDoc } from '../../shared/sweeps/types';
import { atomicWrite, processAlive, removeStaleTemps } from '../util/atomicWrite';
import { readRecordFile, SerialQueue } from '../util/jsonFile';
import { childPath } from '../util/paths';
import { newTimestampId } from '../runs/runStore';

/** This process's lifetime, saved with the pid in a running sweep.json (pids repeat across restarts). */
export const SWEEP_SESSION = randomBytes(6).toString('hex');

/** A sweep's file in its folder. */
export const SWEEP_FILE = 'sweep.json';

/** A new sweep id: `sweep-<utc time>-<random>`. */
export const newSweepId = (): string => newTimestampId('sweep');

/** Whether the process that ran this sweep is still alive (and is not this one). */
export function ownedElsewhere(doc: Pick<SweepDoc, 'pid' | 'session'>): boolean {
  if (doc.pid === undefined || doc.session === SWEEP_SESSION) return false;
  return doc.pid !== process.pid && processAlive(doc.pid);
}

/**
 * Sweeps on disk: `<root>/<id>/sweep.json` (the default root is `<Netsmith home>/sweeps`), rewritten atomically
 * after every change, so a sweep cut off at any moment keeps every trial that had started.
 */
export class SweepStore {
  private readonly queues = new Map<string, SerialQueue>();

  constructor(readonly root: string) {}

  dir(id: string): string {
    return childPath(this.root, id, 'sweep id');
  }

  async save(doc: SweepDoc): Promise<void> {
    const dir = this.dir(doc.id);
    const text = JSON.stringify({ ...doc, updatedAt: new Date().toISOString() }, null, 1);
    const queue = this.queues.get(doc.id) ?? this.queues.set(doc.id, new SerialQueue()).get(doc.id)!;
    await queue.run(async () => {
      await fsp.mkdir(dir, { recursive: true });
      await atomicWrite(join(dir, SWEEP_FILE), text);
    });
  }

  read(id: string): Promise<SweepDoc> {
    return readRecordFile(join(this.dir(id), SWEEP_FILE), sweepDocSchema, { missing: `no sweep '${id}'`, corrupt: `sweep '${id}' has an unreadable sweep.json` });
  }

  /** Every readable sweep, newest first. */
  async list(): Promise<SweepDoc[]> {
    if (!existsSync(this.root)) return [];
    const out: SweepDoc[] = [];
    for (const e of await fsp.readdir(this.root, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const doc = await this.read(e.name).catch(() => undefined);
      if (doc) out.push(doc);
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /**
   * Startup recovery: a sweep that says it is running but whose process is gone becomes `interrupted`, and so do
   * its trials in flight (their runs are resumed when the sweep is). Temp files of cut-off writes go.
   */
  async recover(isLive: (id: string) => boolean = () => false): Promise<string[]> {
    const interrupted: string[] = [];
    if (!existsSync(this.root)) return interrupted;
    for (const e of await fsp.readdir(this.root, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      await removeStaleTemps(join(this.root, e.name)).catch(() => undefined);
      const doc = await this.read(e.name).catch(() => undefined);
      if (!doc || isLive(doc.id)) continue;
      const marked = markInterrupted(doc);
      if (marked) {
        await this.save(marked);
        interrupted.push(doc.id);
      }
    }
    return interrupted;
  }
}

/** The sweep as interrupted when it says it runs but no live process runs it; undefined when nothing changes. */
export function markInterrupted(doc: SweepDoc): SweepDoc | undefined {
  if (doc.state !== 'running' || ownedElsewhere(doc)) return undefined;
  return { ...doc, state: 'interrupted', results: doc.results.map((t) => (t.state === 'running' ? { ...t, state: 'interrupted' as const } : t)) };
}
