import { join } from 'node:path';
import { LabError, type ExperimentResultEntry } from '../../shared/api';
import { describeExperiment, EXPERIMENTS, experimentById, variantProjects } from '../../shared/experiments';
import type { ExperimentEvent, ExperimentInfo, ExperimentResult, RunningExperiment } from '../../shared/experiments/types';
import { makeUserExperiment, type UserExperiment } from '../../shared/experiments/user';
import { evaluateUserExperiment, ExperimentRunner, newSession, type ExperimentRuns } from './runner';
import { ExperimentStore } from './store';

export interface ExperimentServiceOptions {
  runs: ExperimentRuns;
  store: ExperimentStore;
  /** Where experiment events go (the host forwards them with the LabEvents). */
  emit(e: ExperimentEvent): void;
  /** Writes a project file (LabService's project store); enables createExperimentProjects. */
  writeProject?(path: string, text: string): Promise<unknown>;
}

/**
 * The experiments side of the lab API (proposed LabApi methods): the gallery, starting and stopping an
 * experiment (progress and the verdict arrive as `experiment` events, the curves as the runs' own events),
 * and user experiments saved from runs.
 */
export class ExperimentService {
  private readonly runner: ExperimentRunner;
  private readonly sessions = new Map<string, { controller: AbortController; done: Promise<ExperimentResult | undefined>; progress: RunningExperiment; ended(): boolean }>();

  constructor(private readonly o: ExperimentServiceOptions) {
    this.runner = new ExperimentRunner(o.runs);
  }

  async listExperiments(): Promise<{ builtin: ExperimentInfo[]; saved: UserExperiment[] }> {
    return { builtin: EXPERIMENTS.map((d) => describeExperiment(d)), saved: await this.o.store.list() };
  }

  /** Starts an experiment in the background; resolves at once with its session id. */
  async startExperiment(a: { id: string; seed?: number; concurrency?: number; variants?: string[] }): Promise<{ session: string }> {
    const doc = experimentById(a.id);
    if (!doc) throw new LabError(`no experiment '${a.id}'`, 'not-found');
    const session = newSession(doc.id);
    const controller = new AbortController();
    const chosen = a.variants ? doc.variants.filter((v) => a.variants!.includes(v.id)) : doc.variants;
    const progress: RunningExperiment = { session, experiment: doc.id, startedAt: new Date().toISOString(), variants: chosen.map((v) => ({ id: v.id, name: v.name, state: 'pending' })) };
    let ended = false;
    const track = (e: ExperimentEvent): void => {
      // Between the last event and the stored result the session is over for the UI (its 'finished' came).
      if (e.phase === 'finished' || e.phase === 'failed') ended = true;
      if (e.variant === undefined || (e.phase !== 'variant-started' && e.phase !== 'variant-finished')) return;
      const r = e.variantResult;
      progress.variants = progress.variants.map((v) =>
        v.id !== e.variant ? v : { ...v, state: e.phase === 'variant-started' ? 'training' : (r?.state ?? 'failed'), ...(e.runId ? { runId: e.runId } : {}), ...(r?.error || e.message ? { error: r?.error ?? e.message } : {}) },
      );
    };
    const done = this.runner
      .run(doc, {
        session,
        seed: a.seed,
        concurrency: a.concurrency,
        variants: a.variants,
        signal: controller.signal,
        onEvent: (e) => {
          track(e);
          this.o.emit(e);
        },
      })
      .then(async (result) => {
        await this.o.store.saveResult(result).catch(() => undefined);
        return result;
      })
      .catch((err: unknown) => {
        this.o.emit({ type: 'experiment', session, experiment: doc.id, phase: 'failed', message: err instanceof Error ? err.message : String(err) });
        return undefined;
      })
      .finally(() => this.sessions.delete(session));
    this.sessions.set(session, { controller, done, progress, ended: () => ended });
    return { session };
  }

  /** Stops the runs in flight and skips the rest; the verdict is computed from what finished. */
  async stopExperiment(a: { session: string }): Promise<void> {
    const s = this.sessions.get(a.session);
    if (!s) throw new LabError(`no experiment running as '${a.session}'`, 'not-running');
    s.controller.abort();
    await s.done;
  }

  /** Sessions in flight with each variant's state so far (a page that reloads mid-run picks them up). */
  async runningExperiments(): Promise<RunningExperiment[]> {
    return [...this.sessions.values()].filter((s) => !s.ended()).map((s) => ({ ...s.progress, variants: s.progress.variants.map((v) => ({ ...v })) }));
  }

  /** Resolves with the result when the session ends (tests, the CLI). */
  async waitExperiment(a: { session: string }): Promise<ExperimentResult | undefined> {
    return this.sessions.get(a.session)?.done;
  }

  /** Writes the variants as projects (`experiments/<id>/<variant>.netsmith.json`). */
  async createExperimentProjects(a: { id: string }): Promise<string[]> {
    const doc = experimentById(a.id);
    if (!doc) throw new LabError(`no experiment '${a.id}'`, 'not-found');
    if (!this.o.writeProject) throw new LabError('this host cannot write projects', 'unsupported');
    const out: string[] = [];
    for (const p of variantProjects(doc)) {
      await this.o.writeProject(p.path, p.text);
      out.push(p.path);
    }
    return out;
  }

  /** Saves a user experiment from two or more runs (each must exist). */
  async saveUserExperiment(a: { title: string; runs: { runId: string; name?: string }[]; metric?: string; concept?: string; explanation?: string; expectedBest?: string }): Promise<UserExperiment> {
    let doc: UserExperiment;
    try {
      doc = makeUserExperiment(a);
    } catch (err) {
      const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
      throw new LabError(issues ? issues.map((i) => `${i.path.join('.') || 'experiment'}: ${i.message}`).join('; ') : String(err), 'invalid-experiment');
    }
    for (const r of doc.runs) await this.o.runs.runDetail({ id: r.runId });
    return this.o.store.save(doc);
  }

  /** Evaluates from the runs' stored telemetry; the result is kept like a guided one (the gallery shows the last). */
  async evaluateUserExperiment(a: { id: string }): Promise<ExperimentResult> {
    const result = await evaluateUserExperiment(this.o.runs, await this.o.store.read(a.id));
    await this.o.store.saveResult(result).catch(() => undefined);
    return result;
  }

  /** Results kept from earlier experiment runs (newest first), and one of them in full. */
  async listExperimentResults(): Promise<ExperimentResultEntry[]> {
    return this.o.store.listResults();
  }

  async readExperimentResult(a: { file: string }): Promise<ExperimentResult> {
    return this.o.store.readResult(a.file);
  }

  async deleteUserExperiment(a: { id: string }): Promise<void> {
    await this.o.store.remove(a.id);
  }

  /** Stops every experiment in flight (host shutdown). */
  async dispose(): Promise<void> {
    const running = [...this.sessions.values()];
    for (const s of running) s.controller.abort();
    await Promise.all(running.map((s) => s.done));
  }
}

/** The experiments side as LabService uses it (tests pass a fake). */
export type ExperimentManager = Pick<
  ExperimentService,
  'listExperiments' | 'startExperiment' | 'stopExperiment' | 'runningExperiments' | 'createExperimentProjects' | 'saveUserExperiment' | 'evaluateUserExperiment' | 'deleteUserExperiment' | 'listExperimentResults' | 'readExperimentResult'
> & { dispose?(): Promise<void> };

/** What a host gives the experiments side: LabService's event stream and project writer. */
export interface ExperimentHost {
  emit(e: ExperimentEvent): void;
  writeProject(path: string, text: string): Promise<unknown>;
}

/** LabServiceOptions.experiments for a host: results and saved experiments under `<home>/experiments`. */
export function experimentsFor(runs: ExperimentRuns, home: string): (host: ExperimentHost) => ExperimentService {
  return (host) => new ExperimentService({ runs, store: new ExperimentStore(join(home, 'experiments')), emit: (e) => host.emit(e), writeProject: (path, text) => host.writeProject(path, text) });
}
