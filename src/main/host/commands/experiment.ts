import { join, resolve } from 'node:path';
import { describeExperiment, EXPERIMENTS, experimentById, variantProjects } from '../../../shared/experiments';
import { lastEpoch, RUN_METRIC_KEYS } from '../../../shared/experiments/measures';
import { makeUserExperiment } from '../../../shared/experiments/user';
import type { ConfigPatch, ExperimentEvent, ExperimentResult, VariantResult } from '../../../shared/experiments/types';
import { evaluateUserExperiment, ExperimentRunner } from '../../experiments/runner';
import { ExperimentStore } from '../../experiments/store';
import { ProjectStore } from '../../service/projects';
import { RunRegistry } from '../../service/runs/registry';
import { BACKENDS } from '../../../shared/training/config';
import { netsmithHome } from '../../util/home';
import { CliError, parseArgs, type Command } from './types';
import { plural } from '../../../shared/plural';
import { lossText } from '../format';

const USAGE = [
  'npm run cli -- experiment list [--json]',
  'npm run cli -- experiment <name> [--json] [--full] [--seed N] [--variants a,b] [--concurrency N] [--backend auto] [--out runs/] [--projects]',
  'npm run cli -- experiment save --title "…" --runs <id,id,…> [--names "A,B"] [--metric val_accuracy] [--expect <run id>] [--out runs/]',
].join('\n       ');

function int(v: string | true | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n)) throw new CliError(`--${name} needs an integer, got '${v === true ? '' : v}'`, 2);
  return n;
}

/** The result without the bulky telemetry (steps, probes, per-sample confidences) unless --full. */
function compact(r: ExperimentResult): unknown {
  return {
    experiment: r.experiment,
    title: r.title,
    source: r.source,
    seed: r.seed,
    seconds: round(r.seconds),
    verdict: r.verdict,
    variants: r.variants.map((v) => {
      const e = lastEpoch(v);
      return {
        variant: v.variant,
        name: v.name,
        runId: v.runId,
        state: v.state,
        ...(v.error ? { error: v.error } : {}),
        seconds: round(v.seconds),
        params: v.params,
        flops: v.flops,
        epochs: v.epochs.length,
        ...(e ? { final: { train_loss: e.trainLoss, train_accuracy: e.trainAccuracy, val_loss: e.valLoss, val_accuracy: e.valAccuracy } } : {}),
      };
    }),
    ...(r.drawing ? { drawing: r.drawing } : {}),
  };
}

const round = (x: number): number => Math.round(x * 10) / 10;

function printResult(r: ExperimentResult): void {
  console.log(`\n${r.title}  (${r.source === 'user' ? 'from saved runs' : `seed ${r.seed}`}, ${r.seconds.toFixed(1)} s)`);
  console.log(`\n${r.verdict.text}`);
  console.log(`\neffect: ${r.verdict.effect.direction.toUpperCase()} — claim: ${r.verdict.effect.claim}; measured: ${r.verdict.effect.detail}`);
  const keys = [...new Set(Object.values(r.verdict.perVariant).flatMap((m) => Object.keys(m)))];
  console.log('');
  for (const v of r.variants) {
    const m = r.verdict.perVariant[v.variant] ?? {};
    const cells = keys.map((k) => `${k} ${fmt(m[k])}`).join('  ');
    console.log(`  ${v.variant.padEnd(14)} ${v.state.padEnd(9)} ${v.seconds.toFixed(1).padStart(6)} s  ${cells}`);
  }
  if (r.drawing) {
    console.log(`\ndrawing on ${r.drawing.dataset} sample ${r.drawing.sampleIndex} (${r.drawing.image.width}×${r.drawing.image.height}), centre (${r.drawing.center.x}, ${r.drawing.center.y}):`);
    for (const s of r.drawing.squares) console.log(`  ${s.variant.padEnd(12)} ${s.layer.padEnd(14)} RF ${String(s.rf).padStart(3)}  square x ${s.x} y ${s.y} size ${s.size}`);
  }
}

const fmt = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : Number(x.toPrecision(4)).toString());

export const command: Command = async (argv) => {
  const { positional, options } = parseArgs(argv, ['json', 'full', 'projects'], ['seed', 'variants', 'concurrency', 'backend', 'out', 'title', 'runs', 'names', 'metric', 'expect']);
  const name = positional[0];
  const json = options.json === true;
  const runsDir = resolve(typeof options.out === 'string' ? options.out : join(netsmithHome(), 'runs'));
  const store = new ExperimentStore(join(netsmithHome(), 'experiments'));
  if (!name) throw new CliError(`usage: ${USAGE}`, 2);

  if (name === 'list') {
    const saved = await store.list();
    if (json) {
      console.log(JSON.stringify({ builtin: EXPERIMENTS.map((d) => ({ id: d.id, title: d.title, concept: d.concept, kind: d.kind, dataset: d.dataset, variants: d.variants.map((v) => v.id), estimatedSeconds: d.estimatedSeconds })), saved }));
      return 0;
    }
    for (const d of EXPERIMENTS) console.log(`  ${d.id.padEnd(18)} ${d.title}  [${d.variants.map((v) => v.id).join(', ')}; ~${d.estimatedSeconds} s]`);
    for (const s of saved) console.log(`  ${s.id.padEnd(18)} ${s.title}  [saved: ${s.runs.map((r) => r.name).join(' vs ')}; ${s.metric}]`);
    return 0;
  }

  const registry = new RunRegistry(runsDir);
  if (name === 'save') {
    if (typeof options.title !== 'string' || typeof options.runs !== 'string') throw new CliError(`usage: ${USAGE}`, 2);
    const ids = options.runs.split(',').map((s) => s.trim()).filter(Boolean);
    const names = typeof options.names === 'string' ? options.names.split(',').map((s) => s.trim()) : [];
    if (options.metric !== undefined && !RUN_METRIC_KEYS.includes(String(options.metric))) throw new CliError(`--metric must be one of ${RUN_METRIC_KEYS.join(', ')}`, 2);
    let doc;
    try {
      doc = makeUserExperiment({ title: options.title, runs: ids.map((runId, i) => ({ runId, name: names[i] || undefined })), metric: typeof options.metric === 'string' ? options.metric : undefined, expectedBest: typeof options.expect === 'string' ? options.expect : undefined });
    } catch (err) {
      const issues = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
      throw new CliError(issues ? issues.map((i) => `${i.path.join('.') || 'experiment'}: ${i.message}`).join('; ') : String(err), 2);
    }
    // Names default to the runs' own names; every run must exist.
    const runs = [];
    for (const r of doc.runs) {
      const detail = await registry.runDetail({ id: r.runId }).catch((err: Error) => {
        throw new CliError(err.message, 1);
      });
      runs.push({ runId: r.runId, name: r.name === r.runId ? detail.summary.name : r.name });
    }
    const saved = await store.save({ ...doc, runs });
    if (json) console.log(JSON.stringify(saved));
    else console.log(`saved experiment '${saved.id}' (${plural(saved.runs.length, 'run')}, metric ${saved.metric}) → ${join(store.root, `${saved.id}.json`)}\nrun it with: npm run cli -- experiment ${saved.id}`);
    return 0;
  }

  const doc = experimentById(name);
  if (!doc) {
    if (await store.has(name)) {
      const result = await evaluateUserExperiment(registry, await store.read(name));
      if (json) console.log(JSON.stringify(options.full === true ? result : compact(result)));
      else printResult(result);
      return 0;
    }
    throw new CliError(`no experiment '${name}'; built-in ones are ${EXPERIMENTS.map((e) => e.id).join(', ')} (or save your own: experiment save …)`, 2);
  }

  if (options.backend !== undefined && !BACKENDS.includes(options.backend as never)) throw new CliError(`--backend must be one of ${BACKENDS.join(', ')}`, 2);
  const overrides: ConfigPatch = options.backend !== undefined ? { backend: options.backend as ConfigPatch['backend'] } : {};
  const variants = typeof options.variants === 'string' ? options.variants.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const info = describeExperiment(doc);
  if (options.projects === true) {
    // The variants as project files in the projects folder, to open in the editor.
    const projects = new ProjectStore(join(netsmithHome(), 'projects'));
    for (const p of variantProjects(doc)) {
      const entry = await projects.write(p.path, p.text);
      if (!json) console.log(`project ${join(projects.root, entry.path)}`);
    }
  }
  const runner = new ExperimentRunner(registry);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  const onEvent = (e: ExperimentEvent): void => {
    if (json) return;
    if (e.phase === 'started') console.log(`${doc.title}\n${doc.claim}\n${info.kind === 'computed' ? 'computed from the graphs (no training)' : `training ${e.total} variant(s) on ${doc.dataset} → ${runsDir}`}`);
    if (e.phase === 'variant-started') console.log(`  [${e.index! + 1}/${e.total}] ${e.variant}${e.runId ? ` (run ${e.runId})` : ''}`);
    if (e.phase === 'variant-finished') {
      const v = e.variantResult as VariantResult;
      const last = lastEpoch(v);
      console.log(`        ${v.state} in ${v.seconds.toFixed(1)} s${last ? `: val acc ${(last.valAccuracy * 100).toFixed(1)}%, val loss ${lossText(last.valLoss)}` : ''}${v.error ? ` — ${v.error}` : ''}`);
    }
  };
  let result: ExperimentResult;
  try {
    result = await runner.run(doc, { seed: int(options.seed, 'seed'), concurrency: int(options.concurrency, 'concurrency'), variants, overrides, onEvent, signal: controller.signal });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err), 1);
  } finally {
    process.off('SIGINT', stop);
  }
  const file = await store.saveResult(result).catch(() => undefined);
  if (json) console.log(JSON.stringify(options.full === true ? result : compact(result)));
  else {
    printResult(result);
    if (file) console.log(`\nfull result: ${file}`);
  }
  return result.variants.some((v) => v.state === 'failed' && v.divergedAtStep === undefined) ? 1 : 0;
};
