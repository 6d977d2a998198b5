import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LAB_ARGS, type EpochEvent, type LabEvent, type LogEvent } from '../../../shared/api';
import { describeSkipped } from '../../../shared/importReport';
import { OPTIMIZERS, BACKENDS, TORCH_DEVICES, trainConfigSchema, type TrainConfig } from '../../../shared/training/config';
import type { Template } from '../../../shared/templates/types';
import { RunRegistry } from '../../service/runs/registry';
import { netsmithHome } from '../../util/home';
import { loadGraph } from '../loadGraph';
import { freezeUpTo } from '../../../shared/graph/freeze';
import type { GraphDoc } from '../../../shared/graph/types';
import { isModelFolder, ModelFolderError } from '../../engine/modelFolder';
import { InitFromError, resolveInitSource } from '../../engine/weights/initFrom';
import { lossText } from '../format';
import { CliError, parseArgs, type Command } from './types';

const USAGE = 'npm run cli -- train <template | project.json> --dataset <name | folder> [--epochs N] [--batch N] [--lr X] [--optimizer adam] [--backend auto|torch|wasm|…] [--device auto|cuda|mps|cpu] [--nproc N] [--workers N|auto] [--limit N] [--config file.json] [--name "my run"] [--tags a,b] [--out runs/] [--init-from DIR] [--freeze-up-to LABEL] [--frozen-bn running|update] [--json]';

function num(v: string | true | undefined, name: string, int = false): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isFinite(n) || (int && !Number.isInteger(n))) throw new CliError(`--${name} needs ${int ? 'an integer' : 'a number'}, got '${v === true ? '' : v}'`, 2);
  return n;
}

/** `--workers auto` or a whole number of threads 1..16 (data-parallel batches: classification on the wasm backend). */
export function parseWorkers(v: string | true | undefined): 'auto' | number | undefined {
  if (v === undefined) return undefined;
  if (v === 'auto') return 'auto';
  const n = v === true ? NaN : Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new CliError(`--workers needs 'auto' or a whole number of threads from 1 to 16, got '${v === true ? '' : v}'`, 2);
  return n;
}

/** `--config file.json`: a JSON object of training settings; anything else is one clear message (exit 2). */
export async function readConfigFile(path: string | true): Promise<Record<string, unknown> & { optimizer?: Record<string, unknown> }> {
  if (path === true) throw new CliError('--config needs a file name', 2);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `--config: no file '${path}'` : code === 'EISDIR' ? `--config: '${path}' is a folder` : `--config: cannot read '${path}' (${code ?? (err as Error).message})`, code === 'ENOENT' ? 3 : 2);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError(`--config: '${path}' is not valid JSON (${(err as Error).message})`, 2);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`--config: '${path}' must hold a JSON object of training settings, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`, 2);
  const config = value as Record<string, unknown>;
  if (config.optimizer !== undefined && (typeof config.optimizer !== 'object' || config.optimizer === null || Array.isArray(config.optimizer))) throw new CliError(`--config: 'optimizer' in '${path}' must be an object, e.g. {"name": "adam", "lr": 0.001}`, 2);
  return config as Record<string, unknown> & { optimizer?: Record<string, unknown> };
}

/**
 * `--init-from DIR` (a model folder, run folder or checkpoint folder; a model folder given as the graph starts
 * from its own weights) and `--frozen-bn running|update`.
 */
async function initFromOptions(graphRef: string, options: Record<string, string | true>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const from = options['init-from'];
  if (from === true) throw new CliError('--init-from needs a folder: a model folder (npm run cli -- import …), a run folder or a checkpoint folder', 2);
  const path = from ?? (isModelFolder(graphRef) ? graphRef : undefined);
  if (path !== undefined) {
    try {
      await resolveInitSource(path);
    } catch (err) {
      if (err instanceof InitFromError || err instanceof ModelFolderError) throw new CliError(err.message, 2);
      throw err;
    }
    out.initFrom = resolve(path);
  }
  const bn = options['frozen-bn'];
  if (bn !== undefined) {
    if (bn !== 'running' && bn !== 'update') throw new CliError('--frozen-bn must be running (BatchNorm in frozen blocks uses its running statistics) or update', 2);
    out.frozenBatchNorm = bn;
  }
  return out;
}

/** `--freeze-up-to LABEL`: freezes that block and everything before it. */
function freezeOption(graph: GraphDoc, label: string | true | undefined): GraphDoc {
  if (label === undefined) return graph;
  const node = label === true ? undefined : graph.nodes.find((n) => n.label === label || n.id === label);
  if (!node) throw new CliError(`--freeze-up-to needs the label of a block of ${graph.meta.name}${label === true ? '' : `; there is no '${label}'`}`, 2);
  return freezeUpTo(graph, node.id);
}

/** The training settings of `train` (and each `sweep` trial's base): the template's recommended ones, then --config, then flags. */
export async function trainSettings(options: Record<string, string | true>, template: Template | undefined, graphRef = ''): Promise<TrainConfig> {
  const fromFile = options.config === undefined ? {} : await readConfigFile(options.config);
  // The template's recommended settings, when training on the dataset they were measured on; then --config; then flags.
  const recommended = template?.recommended?.dataset === options.dataset ? template.recommended.config : {};
  const base = { ...recommended, ...fromFile, optimizer: { ...(recommended.optimizer ?? {}), ...(fromFile.optimizer ?? {}) } };
  const optimizer = options.optimizer;
  if (optimizer !== undefined && !OPTIMIZERS.includes(optimizer as never)) throw new CliError(`--optimizer must be one of ${OPTIMIZERS.join(', ')}`, 2);
  if (options.backend !== undefined && !BACKENDS.includes(options.backend as never)) throw new CliError(`--backend must be one of ${BACKENDS.join(', ')}`, 2);
  if (options.device !== undefined && !TORCH_DEVICES.includes(options.device as never)) throw new CliError(`--device must be one of ${TORCH_DEVICES.join(', ')} (the PyTorch engine's device)`, 2);
  const limit = num(options.limit, 'limit', true);
  if (options.nproc !== undefined && options.nproc !== '1' && (options.backend ?? (base as Record<string, unknown>).backend) !== 'torch') throw new CliError('--nproc trains data-parallel processes under torchrun: it needs --backend torch', 2);
  const workers = parseWorkers(options.workers);
  const raw = {
    ...base,
    ...(options.epochs !== undefined ? { epochs: num(options.epochs, 'epochs', true) } : {}),
    ...(options.batch !== undefined ? { batchSize: num(options.batch, 'batch', true) } : {}),
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
    ...(options.device !== undefined ? { device: options.device } : {}),
    ...(options.nproc !== undefined ? { nproc: num(options.nproc, 'nproc', true) } : {}),
    ...(limit !== undefined ? { trainLimit: limit } : {}),
    ...(workers !== undefined ? { workers } : {}),
    optimizer: { ...(base.optimizer ?? {}), ...(optimizer ? { name: optimizer } : {}), ...(options.lr !== undefined ? { lr: num(options.lr, 'lr') } : {}) },
    ...(await initFromOptions(graphRef, options)),
  };
  const parsed = trainConfigSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`invalid training settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 2);
  return parsed.data;
}

/** The options trainSettings reads (train's, and each sweep trial's base settings). */
export const TRAIN_SETTING_OPTIONS = ['dataset', 'config', 'epochs', 'batch', 'lr', 'optimizer', 'backend', 'device', 'nproc', 'workers', 'limit', 'init-from', 'frozen-bn'] as const;

export const command: Command = async (argv) => {
  const { positional, options } = parseArgs(argv, ['json'], [...TRAIN_SETTING_OPTIONS, 'name', 'tags', 'out', 'freeze-up-to']);
  if (!positional[0] || typeof options.dataset !== 'string') throw new CliError(`usage: ${USAGE}`, 2);
  const loaded = await loadGraph(positional[0]);
  const { template, notes } = loaded;
  const graph = freezeOption(loaded.graph, options['freeze-up-to']);
  if (options.json !== true) for (const note of notes) console.error(`note: ${note}`);
  const settings = await trainSettings(options, template, positional[0]);

  const runsDir = resolve(typeof options.out === 'string' ? options.out : `${netsmithHome()}/runs`);
  const registry = new RunRegistry(runsDir);
  const json = options.json === true;
  const tty = process.stdout.isTTY && !json;
  const print = (e: LabEvent): void => {
    if (json) return void console.log(JSON.stringify(e));
    if (e.type === 'step' && tty) {
      process.stdout.write(`\r  epoch ${e.epoch}  step ${e.step}  loss ${lossText(e.loss)}  ${e.metricName ?? 'acc'} ${((e.accuracy ?? 0) * 100).toFixed(1)}%  ${Math.round(e.samplesPerSec)} samples/s   `);
    } else if (e.type === 'epoch') {
      if (tty) process.stdout.write('\r\x1b[K');
      console.log(`epoch ${e.epoch}/${settings.epochs}  ${epochLine(e)}  (${e.seconds.toFixed(1)} s)`);
    } else if (e.type === 'log') {
      console.log(`${e.level}: ${e.message}${e.skipped?.length ? ':' : ''}`);
      for (const line of skippedLines(e)) console.log(line);
    }
    else if (e.type === 'run-status' && e.run.backend && e.run.state === 'running' && e.run.step === 0) console.log(`training on ${e.run.backend}`);
  };
  registry.onEvent(print);
  const label = runLabel(options.name, options.tags);
  let started = await registry.startRun({ project: JSON.stringify(graph), dataset: options.dataset, config: settings as unknown as Record<string, unknown> });
  if (label.name !== undefined || label.tags !== undefined) started = await registry.updateRun({ id: started.id, ...label });
  if (!json) console.log(`run "${started.name}"${started.tags?.length ? ` [${started.tags.join(', ')}]` : ''} (${started.id}) → ${registry.runDir(started.id)}`);
  const stop = (): void => void registry.controlRun({ id: started.id, action: 'stop' }).catch(() => undefined);
  process.once('SIGINT', stop);
  const done = await registry.wait(started.id);
  process.off('SIGINT', stop);
  if (json) console.log(JSON.stringify({ type: 'result', run: done }));
  else if (done.state === 'failed') console.error(`error: ${done.error}`);
  else console.log(`${done.state}: ${summaryMetrics(done.metrics ?? {})}`);
  return done.state === 'failed' ? 1 : 0;
};

/** The files a dataset import skipped, one per line with its reason, and how many more were not listed. */
export function skippedLines(e: LogEvent): string[] {
  const list = e.skipped ?? [];
  const more = (e.skippedTotal ?? list.length) - list.length;
  return [...list.map((s) => `  ${describeSkipped(s)}`), ...(more > 0 ? [`  … and ${more} more`] : [])];
}

/** `--name` and `--tags a,b` as the run's name and tags (checked like the Runs workspace's rename). */
export function runLabel(name: string | true | undefined, tags: string | true | undefined): { name?: string; tags?: string[] } {
  const parsed = LAB_ARGS.updateRun.safeParse({
    id: 'cli',
    ...(name !== undefined ? { name: name === true ? '' : name } : {}),
    ...(tags !== undefined ? { tags: tags === true ? [] : tags.split(',').filter((t) => t.trim()) } : {}),
  });
  if (!parsed.success) throw new CliError(`--name/--tags: ${parsed.error.issues.map((i) => i.message).join('; ')}`, 2);
  return { ...(parsed.data.name !== undefined ? { name: parsed.data.name } : {}), ...(parsed.data.tags !== undefined ? { tags: parsed.data.tags } : {}) };
}

/** The run's final metrics; detection's val_accuracy (= val_mAP50) is not repeated, its train_accuracy is the box IoU. */
export function summaryMetrics(metrics: Record<string, number>): string {
  const detection = metrics.val_mAP50 !== undefined;
  return Object.entries(metrics)
    .filter(([k]) => !(detection && k === 'val_accuracy'))
    .map(([k, v]) => [detection && k === 'train_accuracy' ? 'train_box_iou' : k, v] as const)
    .map(([k, v]) => `${k} ${k.includes('acc') || k.includes('top5') ? pct(v) : lossText(v)}`)
    .join(', ');
}

/** `train loss … acc …  val loss … acc …`, with the task's metric names (detection: box IoU and mAP@0.5 / mAP@[.5:.95]; segmentation: pixel accuracy and mIoU). */
export function epochLine(e: EpochEvent): string {
  const trainName = e.metricName === 'mAP@0.5' ? 'box IoU' : e.metricName === 'mIoU' ? 'pixel acc' : 'acc';
  const train = `train loss ${lossText(e.train.loss)} ${trainName} ${pct(e.train.accuracy)}`;
  const val = `val loss ${lossText(e.val.loss)}`;
  if (e.metricName && e.metricName !== 'accuracy' && e.headline !== undefined) {
    const extra = e.val.detection ? ` mAP@[.5:.95] ${e.val.detection.mAP.toFixed(3)} mAR ${e.val.detection.mAR.toFixed(3)}` : e.val.segmentation ? ` pixel acc ${pct(e.val.segmentation.pixelAccuracy)}` : '';
    return `${train}  ${val} ${e.metricName} ${e.headline.toFixed(3)}${extra}`;
  }
  return `${train}  ${val} acc ${pct(e.val.accuracy)}${e.val.top5 !== undefined ? ` top-5 ${pct(e.val.top5)}` : ''}`;
}

const pct = (v: number | undefined): string => (v === undefined ? '–' : `${(v * 100).toFixed(2)}%`);
