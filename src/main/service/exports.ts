import { existsSync, promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { LabError, type ExportResult, type ExportRunArgs } from '../../shared/api';
import { ExportError, exportRun } from '../engine/export';
import { CheckpointError, RunStore } from '../runs/runStore';

/** Above this many bytes in all, the browser host leaves the files in the run folder instead of returning them. */
export const MAX_RETURNED_BYTES = 50 * 1024 * 1024;

export interface RunExporterOptions {
  /** The runs folder (one folder per run id, as RunRegistry keeps it). */
  runsDir: string;
  /** How `dir` is shown for exports written under the run folder (the browser never sees absolute paths). */
  displayRoot?: string;
  /**
   * Electron: asks the user for a destination folder (null: cancelled). Without one, exports are written under
   * the run's folder (`exports/<format>-<time>/`) and returned for download.
   */
  pickFolder?: (title: string) => Promise<string | null>;
}

/**
 * `exportRun` of LabService: resolves the run, picks where the export goes, runs the engine's exporter (which
 * writes atomically: all files or none) and turns its ExportError into a LabError with the same message.
 */
export class RunExporter {
  private pickFolder: RunExporterOptions['pickFolder'];

  private readonly store: RunStore;

  constructor(private readonly options: RunExporterOptions) {
    this.pickFolder = options.pickFolder;
    this.store = new RunStore(options.runsDir);
  }

  /** The Electron host sets its native folder picker once it has a window. */
  setFolderPicker(pick: RunExporterOptions['pickFolder']): void {
    this.pickFolder = pick;
  }

  async exportRun(a: ExportRunArgs): Promise<ExportResult> {
    const runDir = this.store.dir(a.id);
    if (!this.store.has(a.id)) throw new LabError(`no run '${a.id}'`, 'not-found');
    const checkpoint = a.format === 'graph' ? undefined : await this.checkpointName(a.id, a.checkpoint);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z');

    let outDir: string;
    let display: string;
    if (this.pickFolder) {
      const picked = await this.pickFolder(`Export run ${a.id} (${a.format}) to a folder`);
      if (!picked) return { format: a.format, dir: '', files: [], cancelled: true };
      outDir = await freeFolder(picked, `${a.id}-${a.format}`);
      display = outDir;
    } else {
      outDir = await freeFolder(join(runDir, 'exports'), `${a.format}-${stamp}`, false);
      display = [this.options.displayRoot ?? 'runs', a.id, 'exports', basename(outDir)].join('/');
    }

    let done;
    try {
      done = await exportRun(runDir, a.format, outDir, { checkpoint, fuseBatchNorm: a.fuseBatchNorm });
    } catch (err) {
      if (err instanceof ExportError) throw new LabError(err.message, 'export-failed');
      throw err;
    }
    const files = await Promise.all(done.files.sort().map(async (name) => ({ name, size: (await fsp.stat(join(done.dir, name))).size })));
    const result: ExportResult = { format: a.format, dir: display, files, ...(done.checkpoint ? { checkpoint: done.checkpoint } : {}) };
    if (!this.pickFolder && files.reduce((s, f) => s + f.size, 0) <= MAX_RETURNED_BYTES) {
      result.files = await Promise.all(files.map(async (f) => ({ ...f, data: (await fsp.readFile(join(done.dir, f.name))).toString('base64') })));
    }
    return result;
  }

  /** 'best' and 'last' name the run's best and latest checkpoints (run.json); anything else is a folder name. */
  private async checkpointName(id: string, wanted: string | undefined): Promise<string | undefined> {
    if (wanted !== 'best' && wanted !== 'last') return wanted;
    const record = await this.store.read(id);
    const name = record.checkpoints[wanted];
    if (!name) throw new CheckpointError(`run ${record.id} has no ${wanted} checkpoint yet (state: ${record.state}): train it until an epoch ends, then export`);
    return name;
  }
}

/** `dir` itself when it is empty or missing (and `useEmpty`), else a new `<name>`, `<name>-2`, … inside it. */
async function freeFolder(dir: string, name: string, useEmpty = true): Promise<string> {
  const entries = existsSync(dir) ? await fsp.readdir(dir).catch(() => null) : [];
  if (useEmpty && entries && entries.length === 0) return dir;
  for (let i = 1; ; i++) {
    const candidate = join(dir, i === 1 ? name : `${name}-${i}`);
    if (!existsSync(candidate)) return candidate;
  }
}
