/**
 * The one owner of a run's files: run.json (atomic), metrics.jsonl (append-only telemetry) and the checkpoints a
 * prediction, an export or the attention view reads. Run ids go through the one folder-name rule
 * (src/shared/ids.ts: no `.`, `..`, separators); missing and unreadable checkpoints are one `CheckpointError`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { LabError, type LabEvent } from '../../shared/api';
import { isRunId } from '../../shared/ids';
import { runRecordSchema, type RunRecord } from '../../shared/runs/runRecord';
import { atomicWrite } from '../util/atomicWrite';
import { readRecordFile } from '../util/jsonFile';
import { checkpointDir, childPath } from '../util/paths';

/**
 * A new id from the time (UTC, to the second) and 6 random hex digits, e.g. 20261203-211500-a1b2c3 or, with a
 * prefix, sweep-20261203-211500-a1b2c3: a folder name (src/shared/ids.ts) that sorts by creation time.
 */
export const newTimestampId = (prefix?: string): string => {
  const time = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return `${prefix ? `${prefix}-` : ''}${time}-${randomBytes(3).toString('hex')}`;
};

/** A new run's id (newTimestampId, no prefix). */
export const newRunId = (): string => newTimestampId();

export const RUN_FILE = 'run.json';
export const LOG_FILE = 'metrics.jsonl';
/** A checkpoint's model: the topology and weight specs (model.json), and the weights they describe. */
export const CHECKPOINT_MODEL_FILE = 'model.json';
export const CHECKPOINT_WEIGHTS_FILE = 'weights.bin';

/** A checkpoint that is not there yet ('no-checkpoint') or cannot be read ('corrupt'). */
export class CheckpointError extends LabError {
  constructor(
    message: string,
    override readonly code: 'no-checkpoint' | 'corrupt' = 'no-checkpoint',
  ) {
    super(message, code);
    this.name = 'CheckpointError';
  }
}

/** A finished checkpoint picked for reading: its name, folder and a stamp of its files (a training run rewrites `best`). */
export interface CheckpointRef {
  runId: string;
  name: string;
  dir: string;
  stamp: string;
}

/** run.json of a run folder; 'not-found' when there is none, 'corrupt' when it does not parse. */
export function readRunRecord(runDir: string, id = basename(runDir)): Promise<RunRecord> {
  return readRecordFile(join(runDir, RUN_FILE), runRecordSchema, { missing: `no run '${id}'`, corrupt: `run '${id}' has an unreadable record` });
}

/**
 * The checkpoint to read: the one named, else `best`, else `last`. `then` finishes the message for a run that
 * has none yet ("train it until an epoch ends, then predict").
 */
export async function pickCheckpoint(runDir: string, record: RunRecord, wanted: string | undefined, then: string): Promise<CheckpointRef> {
  const name = wanted ?? record.checkpoints.best ?? record.checkpoints.last;
  const dir = name ? await checkpointDir(runDir, name) : '';
  if (!name || !existsSync(join(dir, CHECKPOINT_MODEL_FILE)) || !existsSync(join(dir, CHECKPOINT_WEIGHTS_FILE))) {
    const which = wanted ? `checkpoint '${wanted}'` : 'finished checkpoint';
    throw new CheckpointError(`run ${record.id} has no ${which} yet (state: ${record.state}): train it until an epoch ends, then ${then}`);
  }
  const st = await fsp.stat(join(dir, CHECKPOINT_WEIGHTS_FILE));
  return { runId: record.id, name, dir, stamp: `${name}@${st.mtimeMs}:${st.size}` };
}

/** A run's checkpoint that cannot be loaded ('corrupt'), saying why. */
export function checkpointUnreadable(ck: Pick<CheckpointRef, 'runId' | 'name'>, err: unknown): CheckpointError {
  return new CheckpointError(`checkpoint '${ck.name}' of run ${ck.runId} cannot be loaded: ${err instanceof Error ? err.message : String(err)}`, 'corrupt');
}

/** The runs folder: one folder per run, named by its id. */
export class RunStore {
  constructor(readonly root: string) {}

  /** The run's folder (the id must be a folder name: no `.`, `..`, separators). */
  dir(id: string): string {
    return childPath(this.root, id, 'run id');
  }

  has(id: string): boolean {
    return isRunId(id) && existsSync(join(this.root, id, RUN_FILE));
  }

  /** The ids of the run folders (anything that is not a run id is not a run). */
  async ids(): Promise<string[]> {
    if (!existsSync(this.root)) return [];
    return (await fsp.readdir(this.root, { withFileTypes: true })).filter((d) => d.isDirectory() && isRunId(d.name)).map((d) => d.name);
  }

  async read(id: string): Promise<RunRecord> {
    return readRunRecord(this.dir(id), id);
  }

  /** Writes run.json atomically (temp file + rename), stamping `updatedAt`. */
  async write(record: RunRecord): Promise<void> {
    record.updatedAt = new Date().toISOString();
    await atomicWrite(join(this.dir(record.id), RUN_FILE), JSON.stringify(record, null, 1));
  }

  /** A new run's folder and record. */
  async create(record: RunRecord): Promise<void> {
    await fsp.mkdir(this.dir(record.id), { recursive: true });
    await this.write(record);
  }

  /** Removes a run's folder (a start that failed before anything was trained). */
  async discard(id: string): Promise<void> {
    await fsp.rm(this.dir(id), { recursive: true, force: true }).catch(() => undefined);
  }

  /** Appends telemetry events to metrics.jsonl, one JSON line each. */
  async appendEvents(id: string, events: readonly LabEvent[]): Promise<void> {
    if (events.length) await fsp.appendFile(join(this.dir(id), LOG_FILE), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  }

  /** The lines of metrics.jsonl (none when there is no log yet). */
  async logLines(id: string): Promise<string[]> {
    return (await fsp.readFile(join(this.dir(id), LOG_FILE), 'utf8').catch(() => '')).split('\n');
  }

  /** A kill mid-append can leave metrics.jsonl without its final newline; the next line must not be glued to it. */
  async endLogLine(id: string): Promise<void> {
    const file = join(this.dir(id), LOG_FILE);
    const handle = await fsp.open(file, 'r').catch(() => null);
    if (!handle) return;
    try {
      const { size } = await handle.stat();
      if (size === 0) return;
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await fsp.appendFile(file, '\n');
    } finally {
      await handle.close();
    }
  }

  async checkpointDir(id: string, name: string): Promise<string> {
    return checkpointDir(this.dir(id), name);
  }

  async pickCheckpoint(record: RunRecord, wanted: string | undefined, then: string): Promise<CheckpointRef> {
    return pickCheckpoint(this.dir(record.id), record, wanted, then);
  }
}
