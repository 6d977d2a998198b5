import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EpochEvent, LabEvent } from '../../../shared/api';
import { OPTIMIZERS, BACKENDS, TORCH_DEVICES, trainConfigSchema } from '../../../shared/training/config';
import { RunRegistry } from '../../service/runs/registry';
import { netsmithHome } from '../../util/home';
import { loadGraph } from '../loadGraph';
import { CliError, parseArgs, type Command } from './types';

const USAGE = 'npm run cli -- train <template | project.json> --dataset <name | folder> [--epochs N] [--batch N] [--lr X] [--optimizer adam] [--backend auto|torch|wasm|…] [--device auto|cuda|mps|cpu] [--workers N|auto] [--limit N] [--config file.json] [--out runs/] [--json]';

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

export const command: Command = async (argv) => {
  const { positional, options } = parseArgs(argv, ['json']);
  if (!positional[0] || typeof options.dataset !== 'string') throw new CliError(`usage: ${USAGE}`, 2);
  const { graph, template } = await loadGraph(positional[0]);
  const fromFile = typeof options.config === 'string' ? JSON.parse(await readFile(options.config, 'utf8')) : {};
  // The template's recommended settings, when training on the dataset they were measured on; then --config; then flags.
  const recommended = template?.recommended?.dataset === options.dataset ? template.recommended.config : {};
  const base = { ...recommended, ...fromFile, optimizer: { ...(recommended.optimizer ?? {}), ...(fromFile.optimizer ?? {}) } };
  const optimizer = options.optimizer;
  if (optimizer !== undefined && !OPTIMIZERS.includes(optimizer as never)) throw new CliError(`--optimizer must be one of ${OPTIMIZERS.join(', ')}`, 2);
  if (options.backend !== undefined && !BACKENDS.includes(options.backend as never)) throw new CliError(`--backend must be one of ${BACKENDS.join(', ')}`, 2);
  if (options.device !== undefined && !TORCH_DEVICES.includes(options.device as never)) throw new CliError(`--device must be one of ${TORCH_DEVICES.join(', ')} (the PyTorch engine's device)`, 2);
  const limit = num(options.limit, 'limit', true);
  const workers = parseWorkers(options.workers);
  const raw = {
    ...base,
    ...(options.epochs !== undefined ? { epochs: num(options.epochs, 'epochs', true) } : {}),
    ...(options.batch !== undefined ? { batchSize: num(options.batch, 'batch', true) } : {}),
    ...(options.backend !== undefined ? { backend: options.backend } : {}),
    ...(options.device !== undefined ? { device: options.device } : {}),
    ...(limit !== undefined ? { trainLimit: limit } : {}),
    ...(workers !== undefined ? { workers } : {}),
    optimizer: { ...(base.optimizer ?? {}), ...(optimizer ? { name: optimizer } : {}), ...(options.lr !== undefined ? { lr: num(options.lr, 'lr') } : {}) },
  };
  const parsed = trainConfigSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`invalid training settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 2);

  const runsDir = resolve(typeof options.out === 'string' ? options.out : `${netsmithHome()}/runs`);
  const registry = new RunRegistry(runsDir);
  const json = options.json === true;
  const tty = process.stdout.isTTY && !json;
  const print = (e: LabEvent): void => {
    if (json) return void console.log(JSON.stringify(e));
    if (e.type === 'step' && tty) {
      process.stdout.write(`\r  epoch ${e.epoch}  step ${e.step}  loss ${e.loss.toFixed(4)}  ${e.metricName ?? 'acc'} ${((e.accuracy ?? 0) * 100).toFixed(1)}%  ${Math.round(e.samplesPerSec)} samples/s   `);
    } else if (e.type === 'epoch') {
      if (tty) process.stdout.write('\r\x1b[K');
      console.log(`epoch ${e.epoch}/${parsed.data.epochs}  ${epochLine(e)}  (${e.seconds.toFixed(1)} s)`);
    } else if (e.type === 'log') console.log(`${e.level}: ${e.message}`);
    else if (e.type === 'run-status' && e.run.backend && e.run.state === 'running' && e.run.step === 0) console.log(`training on ${e.run.backend}`);
  };
  registry.onEvent(print);
  const started = await registry.startRun({ project: JSON.stringify(graph), dataset: options.dataset, config: parsed.data as unknown as Record<string, unknown> });
  if (!json) console.log(`run ${started.id} → ${registry.runDir(started.id)}`);
  const stop = (): void => void registry.controlRun({ id: started.id, action: 'stop' }).catch(() => undefined);
  process.once('SIGINT', stop);
  const done = await registry.wait(started.id);
  process.off('SIGINT', stop);
  if (json) console.log(JSON.stringify({ type: 'result', run: done }));
  else if (done.state === 'failed') console.error(`error: ${done.error}`);
  else console.log(`${done.state}: ${summaryMetrics(done.metrics ?? {})}`);
  return done.state === 'failed' ? 1 : 0;
};

/** The run's final metrics; detection's val_accuracy (= val_mAP50) is not repeated, its train_accuracy is the box IoU. */
export function summaryMetrics(metrics: Record<string, number>): string {
  const detection = metrics.val_mAP50 !== undefined;
  return Object.entries(metrics)
    .filter(([k]) => !(detection && k === 'val_accuracy'))
    .map(([k, v]) => [detection && k === 'train_accuracy' ? 'train_box_iou' : k, v] as const)
    .map(([k, v]) => `${k} ${k.includes('acc') || k.includes('top5') ? pct(v) : v.toFixed(4)}`)
    .join(', ');
}

/** `train loss … acc …  val loss … acc …`, with the task's metric names (detection: box IoU and mAP@0.5 / mAP@[.5:.95]; segmentation: pixel accuracy and mIoU). */
export function epochLine(e: EpochEvent): string {
  const trainName = e.metricName === 'mAP@0.5' ? 'box IoU' : e.metricName === 'mIoU' ? 'pixel acc' : 'acc';
  const train = `train loss ${e.train.loss.toFixed(4)} ${trainName} ${pct(e.train.accuracy)}`;
  const val = `val loss ${e.val.loss.toFixed(4)}`;
  if (e.metricName && e.metricName !== 'accuracy' && e.headline !== undefined) {
    const extra = e.val.detection ? ` mAP@[.5:.95] ${e.val.detection.mAP.toFixed(3)} mAR ${e.val.detection.mAR.toFixed(3)}` : e.val.segmentation ? ` pixel acc ${pct(e.val.segmentation.pixelAccuracy)}` : '';
    return `${train}  ${val} ${e.metricName} ${e.headline.toFixed(3)}${extra}`;
  }
  return `${train}  ${val} acc ${pct(e.val.accuracy)}${e.val.top5 !== undefined ? ` top-5 ${pct(e.val.top5)}` : ''}`;
}

const pct = (v: number | undefined): string => (v === undefined ? '–' : `${(v * 100).toFixed(2)}%`);
