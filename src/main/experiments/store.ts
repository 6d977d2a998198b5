import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../../shared/api';
import { experimentById } from '../../shared/experiments';
import { summarizeResult, type ExperimentResultSummary } from '../../shared/experiments/summary';
import type { ExperimentResult } from '../../shared/experiments/types';
import { EXPERIMENT_ID_PATTERN, userExperimentSchema, type UserExperiment } from '../../shared/experiments/user';
import { atomicWrite } from '../util/atomicWrite';

const ID = EXPERIMENT_ID_PATTERN;
/** `<experiment id>-<yyyymmdd-hhmmss>[-n].json` */
const RESULT = new RegExp(`^(${EXPERIMENT_ID_PATTERN.source.slice(1, -1)})-(\\d{8}-\\d{6})(?:-\\d+)?\\.json$`);

/**
 * Saved user experiments (`<root>/<id>.json`) and experiment results (`<root>/results/<experiment>-<time>.json`).
 * The default root is `<Netsmith home>/experiments`.
 */
export class ExperimentStore {
  constructor(readonly root: string) {}

  async list(): Promise<UserExperiment[]> {
    const names = await fsp.readdir(this.root).catch(() => [] as string[]);
    const out: UserExperiment[] = [];
    for (const n of names.filter((n) => n.endsWith('.json')).sort()) {
      const doc = await this.read(n.slice(0, -5)).catch(() => undefined);
      if (doc) out.push(doc);
    }
    return out;
  }

  async read(id: string): Promise<UserExperiment> {
    if (!ID.test(id)) throw new LabError(`invalid experiment id '${id}'`, 'bad-id');
    let text: string;
    try {
      text = await fsp.readFile(join(this.root, `${id}.json`), 'utf8');
    } catch {
      throw new LabError(`no saved experiment '${id}'`, 'not-found');
    }
    const parsed = userExperimentSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new LabError(`saved experiment '${id}' is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'corrupt');
    return parsed.data;
  }

  async has(id: string): Promise<boolean> {
    return ID.test(id) && (await fsp.stat(join(this.root, `${id}.json`)).then(() => true, () => false));
  }

  /** Validates and writes (atomic); replaces a saved experiment with the same id. */
  async save(doc: UserExperiment): Promise<UserExperiment> {
    const parsed = userExperimentSchema.parse(doc);
    await fsp.mkdir(this.root, { recursive: true });
    await atomicWrite(join(this.root, `${parsed.id}.json`), JSON.stringify(parsed, null, 2) + '\n');
    return parsed;
  }

  async remove(id: string): Promise<void> {
    if (!ID.test(id)) throw new LabError(`invalid experiment id '${id}'`, 'bad-id');
    await fsp.rm(join(this.root, `${id}.json`), { force: true });
  }

  /**
   * Stored results, newest first: `{ file, experiment, startedAt, summary }` (file names under results/). The
   * summary is read from the file kept next to each result (`<name>.summary.json`); for a result stored
   * without one (older versions) it is computed from the full result once and kept.
   */
  async listResults(): Promise<{ file: string; experiment: string; startedAt: string; summary?: ExperimentResultSummary }[]> {
    const names = await fsp.readdir(join(this.root, 'results')).catch(() => [] as string[]);
    const entries = names
      .filter((n) => RESULT.test(n))
      .map((file) => {
        const m = RESULT.exec(file)!;
        const t = m[2];
        return { file, experiment: m[1], startedAt: `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z` };
      })
      // Results within the same second are numbered `-2`, `-3`, … (a higher number is newer).
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || sameSecond(b.file) - sameSecond(a.file));
    return Promise.all(
      entries.map(async (e) => {
        const summary = await this.readSummary(e.file);
        return summary ? { ...e, summary } : e;
      }),
    );
  }

  /** The summary of a stored result (computed and kept when missing); undefined when the result is unreadable. */
  async readSummary(file: string): Promise<ExperimentResultSummary | undefined> {
    if (!RESULT.test(file)) throw new LabError(`invalid result name '${file}'`, 'bad-id');
    const path = join(this.root, 'results', summaryName(file));
    const kept = await fsp.readFile(path, 'utf8').then(
      (t) => JSON.parse(t) as ExperimentResultSummary,
      () => undefined,
    );
    if (kept?.format === 'netsmith.experiment-summary') return kept;
    const result = await this.readResult(file).catch(() => undefined);
    if (!result?.verdict || !Array.isArray(result.variants)) return undefined;
    const summary = summaryOf(result);
    await atomicWrite(path, JSON.stringify(summary)).catch(() => undefined);
    return summary;
  }

  async readResult(file: string): Promise<ExperimentResult> {
    if (!RESULT.test(file)) throw new LabError(`invalid result name '${file}'`, 'bad-id');
    try {
      return JSON.parse(await fsp.readFile(join(this.root, 'results', file), 'utf8')) as ExperimentResult;
    } catch {
      throw new LabError(`no experiment result '${file}'`, 'not-found');
    }
  }

  /** Keeps a result for later viewing; returns its path. */
  async saveResult(result: ExperimentResult): Promise<string> {
    const dir = join(this.root, 'results');
    await fsp.mkdir(dir, { recursive: true });
    const stamp = result.startedAt.replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
    let file = join(dir, `${result.experiment}-${stamp}.json`);
    for (let k = 2; await fsp.stat(file).then(() => true, () => false); k++) file = join(dir, `${result.experiment}-${stamp}-${k}.json`);
    await atomicWrite(file, JSON.stringify(result));
    await atomicWrite(join(dir, summaryName(file.slice(dir.length + 1))), JSON.stringify(summaryOf(result))).catch(() => undefined);
    return file;
  }
}

/** `gradient-flow-20261122-101010.json` → `gradient-flow-20261122-101010.summary.json`. */
const summaryName = (file: string): string => file.replace(/\.json$/, '.summary.json');

const summaryOf = (result: ExperimentResult): ExperimentResultSummary => summarizeResult(result, result.source === 'guided' ? experimentById(result.experiment)?.kind : undefined);

const sameSecond = (file: string): number => Number(/-\d{8}-\d{6}-(\d+)\.json$/.exec(file)?.[1] ?? 1);
