import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseSpace, checkSpace, type TrialParams } from '../../../shared/sweeps/space';
import { STRATEGIES } from '../../../shared/sweeps/strategies';
import { sensitivities } from '../../../shared/sweeps/sensitivity';
import { bestTrial, SWEEP_METRICS, type SweepDoc, type SweepEvent, type Trial } from '../../../shared/sweeps/types';
import { shortRate } from '../../../shared/training/runName';
import { RunRegistry } from '../../service/runs/registry';
import { createSweep, SweepRunner } from '../../sweeps/runner';
import { SweepStore } from '../../sweeps/store';
import { netsmithHome } from '../../util/home';
import { loadGraph } from '../loadGraph';
import { TRAIN_SETTING_OPTIONS, trainSettings } from './train';
import { CliError, parseArgs, type Command } from './types';

const USAGE = [
  'npm run cli -- sweep <template | project.json> --dataset <name | folder> --space space.json --trials N [--parallel N] [--strategy grid|random|tpe] [--metric val_accuracy|val_loss] [--prune median|asha|none] [--seed N] [--name "…"] [train options: --epochs N --batch N --lr X --optimizer adam --backend … --device … --workers N --limit N --config file.json] [--out runs/] [--json]',
  'npm run cli -- sweep resume <sweep id> [--out runs/] [--json]      (a sweep that was stopped or cut off continues)',
  'npm run cli -- sweep list [--json] | sweep show <sweep id> [--json]',
].join('\n       ');

function int(v: string | true | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n)) throw new CliError(`--${name} needs a whole number, got '${v === true ? '' : v}'`, 2);
  return n;
}

async function readSpace(path: string | true | undefined): Promise<unknown> {
  if (path === undefined || path === true) throw new CliError(`--space needs a JSON file, e.g. {"lr": {"logUniform": [1e-5, 1]}, "batchSize": {"choice": [32, 64]}}\nusage: ${USAGE}`, 2);
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `--space: no file '${path}'` : `--space: cannot read '${path}' (${code ?? (err as Error).message})`, code === 'ENOENT' ? 3 : 2);
  }
}

/** A value as people read it: learning rates in short form, others as they are. */
export const valueText = (key: string, v: TrialParams[string]): string => (typeof v === 'number' && !Number.isInteger(v) ? (key === 'lr' || v < 0.01 ? shortRate(v) : String(+v.toPrecision(3))) : String(v));
const paramsText = (p: TrialParams): string => Object.entries(p).map(([k, v]) => `${k} ${valueText(k, v)}`).join('  ');
const metricText = (doc: Pick<SweepDoc, 'metric'>, v: number | undefined): string => (v === undefined ? '–' : doc.metric === 'val_accuracy' ? `${(v * 100).toFixed(2)}%` : v.toFixed(4));

function printTrialEnd(doc: SweepDoc, t: Trial): void {
  const best = bestTrial(doc);
  const tail = t.state === 'pruned' && t.prunedAt ? ` after epoch ${t.prunedAt.epoch} (best ${metricText(doc, t.prunedAt.best)} < ${doc.pruner.kind === 'asha' ? 'the rung’s top-1/η cut-off' : 'median'} ${metricText(doc, t.prunedAt.median)})` : t.error ? ` — ${t.error}` : '';
  console.log(`        ${t.state}: ${doc.metric} ${metricText(doc, t.value)}${best?.index === t.index ? '  (best so far)' : ''}${tail}`);
}

function printSummary(doc: SweepDoc): void {
  const best = bestTrial(doc);
  const counts = ['completed', 'pruned', 'failed', 'interrupted'].map((s) => [s, doc.results.filter((t) => t.state === s).length] as const).filter(([, n]) => n > 0);
  console.log(`\n${doc.name} (${doc.id}): ${doc.state}, ${counts.map(([s, n]) => `${n} ${s}`).join(', ') || 'no trials'}`);
  if (best) console.log(`best: trial ${best.index + 1}  ${doc.metric} ${metricText(doc, best.value)}  ${paramsText(best.params)}  (run ${best.runId})`);
  const sens = sensitivities(doc.space, doc.results.filter((t) => t.value !== undefined).map((t) => ({ params: t.params, value: t.value! })));
  if (sens.some((s) => s.trials >= 3)) {
    console.log(`sensitivity of ${doc.metric} (Spearman ρ for numbers, correlation ratio η for choices):`);
    for (const s of [...sens].sort((a, b) => b.strength - a.strength)) console.log(`  ${s.key.padEnd(20)} ${s.method === 'spearman' ? 'ρ' : 'η'} ${s.value >= 0 ? ' ' : ''}${s.value.toFixed(2)}`);
  }
}

export const command: Command = async (argv) => {
  const { positional, options } = parseArgs(argv, ['json'], [...TRAIN_SETTING_OPTIONS, 'space', 'trials', 'parallel', 'strategy', 'metric', 'prune', 'seed', 'name', 'out']);
  const json = options.json === true;
  const store = new SweepStore(join(netsmithHome(), 'sweeps'));
  const first = positional[0];
  if (!first) throw new CliError(`usage: ${USAGE}`, 2);

  // A sweep whose process died (a kill, a power loss) is shown, and kept on disk, as interrupted.
  if (first === 'list' || first === 'show') await store.recover();
  if (first === 'list') {
    const docs = await store.list();
    if (json) console.log(JSON.stringify(docs.map((d) => ({ id: d.id, name: d.name, state: d.state, trials: d.trials, done: d.results.filter((t) => t.state !== 'running').length, best: bestTrial(d) }))));
    else for (const d of docs) console.log(`  ${d.id}  ${d.state.padEnd(11)} ${String(d.results.length).padStart(3)}/${d.trials} trials  ${d.name}${bestTrial(d) ? `  best ${metricText(d, bestTrial(d)!.value)}` : ''}`);
    return 0;
  }
  if (first === 'show') {
    if (!positional[1]) throw new CliError(`usage: ${USAGE}`, 2);
    const doc = await store.read(positional[1]);
    if (json) console.log(JSON.stringify({ ...doc, graph: undefined, best: bestTrial(doc) }));
    else {
      for (const t of doc.results) console.log(`  trial ${String(t.index + 1).padStart(3)}  ${t.state.padEnd(11)} ${doc.metric} ${metricText(doc, t.value).padStart(7)}  ${paramsText(t.params)}`);
      printSummary(doc);
    }
    return 0;
  }

  const runsDir = resolve(typeof options.out === 'string' ? options.out : join(netsmithHome(), 'runs'));
  const registry = new RunRegistry(runsDir);
  let id: string;
  if (first === 'resume') {
    if (!positional[1]) throw new CliError(`usage: ${USAGE}`, 2);
    id = positional[1];
  } else {
    if (typeof options.dataset !== 'string') throw new CliError(`usage: ${USAGE}`, 2);
    const { graph, template, notes } = await loadGraph(first);
    if (!json) for (const note of notes) console.error(`note: ${note}`);
    const parsed = parseSpace(await readSpace(options.space));
    if (!parsed.ok) throw new CliError(`--space '${String(options.space)}':\n  ${parsed.errors.join('\n  ')}`, 2);
    const problems = checkSpace(parsed.space, graph);
    if (problems.length) throw new CliError(`--space '${String(options.space)}' does not fit ${graph.meta.name}:\n  ${problems.join('\n  ')}`, 2);
    const trials = int(options.trials, 'trials');
    if (trials === undefined) throw new CliError(`--trials N is needed (how many trials to run)\nusage: ${USAGE}`, 2);
    if (options.strategy !== undefined && !STRATEGIES.includes(options.strategy as never)) throw new CliError(`--strategy must be one of ${STRATEGIES.join(', ')}`, 2);
    if (options.metric !== undefined && !SWEEP_METRICS.includes(options.metric as never)) throw new CliError(`--metric must be one of ${SWEEP_METRICS.join(', ')}`, 2);
    if (options.prune !== undefined && options.prune !== 'median' && options.prune !== 'asha' && options.prune !== 'none') throw new CliError('--prune must be median, asha or none', 2);
    const config = await trainSettings(options, template);
    const settings = {
      space: parsed.space,
      trials,
      ...(options.parallel !== undefined ? { parallel: int(options.parallel, 'parallel') } : {}),
      ...(options.strategy !== undefined ? { strategy: options.strategy } : {}),
      ...(options.metric !== undefined ? { metric: options.metric } : {}),
      ...(options.seed !== undefined ? { seed: int(options.seed, 'seed') } : {}),
      ...(options.prune !== undefined ? { pruner: { kind: options.prune } } : {}),
    };
    let doc: SweepDoc;
    try {
      doc = await createSweep(store, { graph, dataset: options.dataset, config: config as unknown as Record<string, unknown>, settings: settings as never, ...(typeof options.name === 'string' ? { name: options.name } : {}) });
    } catch (err) {
      throw new CliError((err as Error).message, 2);
    }
    id = doc.id;
    if (!json) console.log(`sweep "${doc.name}" (${doc.id}): ${doc.trials} trials, ${doc.strategy}, ${doc.parallel} at a time, ${doc.metric}${doc.pruner.kind === 'median' ? ', median-rule pruning' : doc.pruner.kind === 'asha' ? `, ASHA pruning (η ${doc.pruner.reductionFactor})` : ''} → ${store.dir(doc.id)}`);
  }

  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  const onEvent = (e: SweepEvent): void => {
    const t = e.trial;
    if (json) return void console.log(JSON.stringify({ type: 'sweep', phase: e.phase, sweep: e.sweep.id, ...(t ? { trial: t } : {}), ...(e.phase === 'finished' ? { state: e.sweep.state } : {}) }));
    if (e.phase === 'started' && e.sweep.results.length) console.log(`continuing ${e.sweep.id}: ${e.sweep.results.filter((x) => x.state === 'interrupted').length} trial(s) to finish, ${e.sweep.trials - e.sweep.results.length} to start`);
    if (e.phase === 'trial-started' && t) console.log(`  [${t.index + 1}/${e.sweep.trials}] ${paramsText(t.params)}  (run ${t.runId}${t.curve.length ? `, resumed after epoch ${t.curve.length}` : ''})`);
    if (e.phase === 'trial-finished' && t) printTrialEnd(e.sweep as SweepDoc, t);
  };
  let doc: SweepDoc;
  try {
    doc = await new SweepRunner(registry, store).run(id, { signal: controller.signal, onEvent });
  } finally {
    process.off('SIGINT', stop);
  }
  const best = bestTrial(doc);
  if (json) console.log(JSON.stringify({ type: 'result', sweep: doc.id, state: doc.state, metric: doc.metric, trials: doc.results.length, best: best ? { trial: best.index + 1, runId: best.runId, params: best.params, value: best.value } : null }));
  else {
    printSummary(doc);
    if (doc.state === 'stopped') console.log(`\nstopped; continue with: npm run cli -- sweep resume ${doc.id}${typeof options.out === 'string' ? ` --out ${options.out}` : ''}`);
  }
  return best ? 0 : 1;
};
