// Training throughput of the three benchmark networks on every tfjs backend
// that loads here, plus data-parallel wasm workers, against PyTorch CPU.
//
//   npx tsx bench/backend/train-bench.ts [--models lenet,resnet,vit] [--backends wasm,cpu,...]
//     [--batch 64] [--windows 5] [--window-steps 10] [--no-dp] [--workers N] [--no-telemetry] [--no-torch] [--json file]
//
// samples/s is the median over timed windows after warm-up (wall clock). On a
// shared machine, wall time includes time spent waiting for a core, so each
// row also gives a CPU-time figure: samples per second of CPU time the
// training threads actually got (for data-parallel rows: the slowest worker's
// CPU time plus the main thread's, i.e. an estimate for an idle machine).
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { AUTO_ORDER, type BackendName, selectBackend } from '../../src/main/engine/backend/select';
import { GradientWorkerPool } from '../../src/main/engine/backend/dataParallel/pool';
import { ownRows } from '../../src/main/engine/train/parallel';
import { threadCpuMs } from '../../src/main/engine/backend/threadCpu';
import { buildModel, lossOf, MODEL_NAMES, type ModelName, syntheticBatch, torchName } from './models';
import { makeStepper, type Stepper } from './step';

export interface BenchOptions {
  models?: ModelName[];
  /** Backends to try (those that fail to load are reported and skipped). Default: all. */
  backends?: BackendName[];
  batch?: number;
  warmupSteps?: number;
  windowSteps?: number;
  windows?: number;
  /** Also time the telemetry variant (gradient norms computed in the step, read every `syncEvery` steps). */
  telemetry?: boolean;
  syncEvery?: number;
  /** Threads of the data-parallel wasm variant, this one included (as real runs split; 0 = skip). Default: number of cores. */
  workers?: number;
  /** Run bench/torch_ref.py when python3 has torch. */
  torch?: boolean;
  /**
   * Smaller batches for backends too slow for the full one (samples/s barely
   * depends on the batch there). Default { cpu: 8 }: tfjs-cpu's conv gradient
   * takes minutes per batch-64 ResNet step.
   */
  slowBackendBatch?: Partial<Record<BackendName, number>>;
  log?: (line: string) => void;
}

export interface Row {
  backend: string;
  label: string;
  model: ModelName;
  variant: string;
  /** Median wall-clock samples/s over the timed windows (NaN when skipped). */
  samplesPerSec: number;
  windows: number[];
  /** Samples per second of training-thread CPU time (see header). */
  cpuSamplesPerSec: number;
  torchSamplesPerSec?: number;
  /** PyTorch samples per second of process CPU time (both threads together). */
  torchCpuSamplesPerSec?: number;
  /** samplesPerSec / torchSamplesPerSec. */
  ratio?: number;
  /** Telemetry cost in % of step time (wall, and CPU time). */
  overheadPct?: number;
  cpuOverheadPct?: number;
  loadAvg: number;
  note?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Window { wallMs: number; cpuMs: number; steps: number }

/** Steps slower than this are timed once (the cpu backend's conv nets take minutes per step). */
const SLOW_STEP_MS = 10_000;

type Options = Required<Omit<BenchOptions, 'log'>>;

/**
 * Alternates timed windows of each variant so machine-load drift hits all of
 * them alike. A backend whose first step exceeds SLOW_STEP_MS gets that single
 * step as its only window and its other variants are skipped (empty).
 */
async function timeInterleaved(
  variants: { run: () => Promise<number> }[],
  o: { warmupSteps: number; windowSteps: number; windows: number },
): Promise<Window[][]> {
  const out: Window[][] = variants.map(() => []);
  const t0 = performance.now();
  const cpu0 = await variants[0].run();
  const first = performance.now() - t0;
  if (first > SLOW_STEP_MS) {
    out[0].push({ wallMs: first, cpuMs: cpu0, steps: 1 });
    return out;
  }
  // Second-long steps (the cpu backend) get fewer, shorter windows.
  const slow = first > 1000;
  const [warmup, windows, steps] = slow ? [1, 2, 2] : [o.warmupSteps, o.windows, o.windowSteps];
  for (const [i, v] of variants.entries()) {
    for (let s = i === 0 ? 1 : 0; s < warmup; s++) await v.run();
  }
  for (let w = 0; w < windows; w++) {
    for (const [i, v] of variants.entries()) {
      const start = performance.now();
      let cpu = 0;
      for (let s = 0; s < steps; s++) cpu += await v.run();
      out[i].push({ wallMs: performance.now() - start, cpuMs: cpu, steps });
    }
  }
  return out;
}

function summarize(ws: Window[], batch: number): { sps: number; rates: number[]; cpuSps: number } {
  const rates = ws.map((w) => (w.steps * batch * 1000) / w.wallMs);
  const cpuRates = ws.map((w) => (w.steps * batch * 1000) / w.cpuMs);
  return { sps: median(rates), rates, cpuSps: median(cpuRates) };
}

async function benchSingle(model: ModelName, o: Options): Promise<{ plain: ReturnType<typeof summarize>; telemetry?: ReturnType<typeof summarize> }> {
  const net = buildModel(model);
  const { x, y } = syntheticBatch(model, o.batch);
  const plain = makeStepper(net, { syncEvery: o.syncEvery });
  const tele = o.telemetry ? makeStepper(net, { telemetry: true, syncEvery: o.syncEvery }) : null;
  const timed = (s: Stepper) => async () => {
    const c0 = threadCpuMs();
    await s.step(x, y);
    return threadCpuMs() - c0;
  };
  const variants = [{ run: timed(plain) }, ...(tele ? [{ run: timed(tele) }] : [])];
  const res = await timeInterleaved(variants, o);
  plain.dispose();
  tele?.dispose();
  tf.dispose([x, y]);
  net.dispose();
  return { plain: summarize(res[0], o.batch), telemetry: tele && res[1].length > 0 ? summarize(res[1], o.batch) : undefined };
}

/**
 * Data parallelism as real runs do it (src/main/engine/train/parallel.ts): this thread computes the first
 * share of each batch while `workers - 1` helper threads compute the rest; Adam runs here on the combined
 * gradient and the weights go back to the helpers. Idle-machine CPU estimate: the slower of this thread's
 * share and the slowest helper's (they overlap), plus this thread's serial part (combine, optimizer, hand-off).
 */
async function benchDataParallel(model: ModelName, o: Options) {
  const net = buildModel(model);
  const variables = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const pool = await GradientWorkerPool.create({
    workers: o.workers - 1,
    replica: { module: fileURLToPath(new URL('./replica.ts', import.meta.url)), args: { model } },
    workerUrl: new URL('../../tests/unit/engine/backend/fixtures/poolWorker.ts', import.meta.url),
  });
  const push = () => pool.setWeights(variables.map((v) => v.dataSync() as Float32Array));
  push();
  const optimizer = tf.train.adam(1e-3);
  const { x, y } = syntheticBatch(model, o.batch);
  const arrays = { x: { data: (await x.data()) as Float32Array, shape: x.shape }, y: { data: (await y.data()) as Float32Array | Int32Array, shape: y.shape } };
  const own = ownRows(o.batch, o.workers);
  const xOwn = x.slice(0, own);
  const yOwn = y.slice(0, own);
  const share = own / o.batch;
  const unread = new Map<boolean, tf.Tensor[]>();
  const run = (telemetry: boolean) => {
    let count = 0;
    return async () => {
      const pending = unread.get(telemetry) ?? [];
      const c0 = threadCpuMs();
      const remote = pool.computeShards(arrays, { from: own, total: o.batch });
      const { value, grads } = tf.variableGrads(() => lossOf(net, xOwn, yOwn), variables);
      const c1 = threadCpuMs();
      const r = await remote;
      const c2 = threadCpuMs();
      const kept = tf.tidy(() => {
        const combined = variables.map((v, i) => tf.add(tf.mul(grads[v.name], share), tf.tensor(r.grads[i], v.shape)));
        optimizer.applyGradients(variables.map((v, i) => ({ name: v.name, tensor: combined[i] })));
        const loss = tf.reshape(tf.add(tf.mul(value, share), r.loss), [1]);
        return telemetry ? tf.concat([loss, tf.stack(combined.map((g) => tf.norm(g)))]) : loss;
      });
      tf.dispose([value, ...Object.values(grads)]);
      pending.push(kept);
      if (++count % o.syncEvery === 0) {
        const all = tf.stack(pending);
        await all.data();
        tf.dispose([all, ...pending]);
        pending.length = 0;
      }
      unread.set(telemetry, pending);
      push();
      return Math.max(c1 - c0, ...r.workerCpuMs) + (threadCpuMs() - c2);
    };
  };
  const variants = [{ run: run(false) }, ...(o.telemetry ? [{ run: run(true) }] : [])];
  const res = await timeInterleaved(variants, o);
  await pool.close();
  tf.dispose([x, y, xOwn, yOwn, ...[...unread.values()].flat()]);
  optimizer.dispose();
  net.dispose();
  return { plain: summarize(res[0], o.batch), telemetry: o.telemetry ? summarize(res[1], o.batch) : undefined };
}

function pythonWithTorch(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

interface TorchResult { samplesPerSec: number; cpuSamplesPerSec: number }

function runTorch(o: Options, log: (s: string) => void): Map<string, TorchResult> {
  const out = new Map<string, TorchResult>();
  const py = pythonWithTorch();
  if (py == null) {
    log('PyTorch: not found (python3 -c "import torch" fails); no ratios');
    return out;
  }
  const script = fileURLToPath(new URL('../torch_ref.py', import.meta.url));
  const stdout = execFileSync(py, [script, '--threads', '2', '--batch', String(o.batch), '--models', [...new Set(o.models.map(torchName))].join(','),
    '--warmup-steps', String(o.warmupSteps), '--window-steps', String(o.windowSteps), '--windows', String(o.windows)], { encoding: 'utf8' });
  for (const line of stdout.split('\n').filter((l) => l.startsWith('{'))) {
    const r = JSON.parse(line) as { model: string; samplesPerSec: number; cpuSamplesPerSec: number; torch: string };
    out.set(r.model, r);
    log(`PyTorch ${r.torch} (2 threads) ${r.model}: ${r.samplesPerSec.toFixed(0)} samples/s (${r.cpuSamplesPerSec.toFixed(0)} per CPU-second)`);
  }
  return out;
}

export async function runTrainBench(opts: BenchOptions = {}): Promise<Row[]> {
  const o: Options = {
    models: opts.models ?? MODEL_NAMES,
    backends: opts.backends ?? AUTO_ORDER,
    batch: opts.batch ?? 64,
    warmupSteps: opts.warmupSteps ?? 3,
    windowSteps: opts.windowSteps ?? 10,
    windows: opts.windows ?? 5,
    telemetry: opts.telemetry ?? true,
    syncEvery: opts.syncEvery ?? 10,
    workers: opts.workers ?? availableParallelism(),
    torch: opts.torch ?? true,
    slowBackendBatch: opts.slowBackendBatch ?? { cpu: 8 },
  };
  const log = opts.log ?? ((s: string) => console.log(s));
  const rows: Row[] = [];
  const row = (r: Omit<Row, 'loadAvg'>) => {
    const full = { ...r, loadAvg: loadavg()[0] };
    rows.push(full);
    log(`${full.backend} ${full.model} ${full.variant}: ${full.samplesPerSec.toFixed(0)} samples/s (cpu-time ${full.cpuSamplesPerSec.toFixed(0)})${full.note ? ` ${full.note}` : ''}`);
  };
  for (const backend of o.backends) {
    const report = await selectBackend({ prefer: backend }).catch((e: Error) => ({ name: null, label: '', tried: [{ name: backend, ok: false, reason: e.message }] }));
    if (report.name !== backend) {
      const reason = report.tried.find((t) => t.name === backend)?.reason ?? 'did not load';
      log(`${backend}: skipped (${reason})`);
      continue;
    }
    const batch = o.slowBackendBatch[backend] ?? o.batch;
    for (const model of o.models) {
      const single = await benchSingle(model, { ...o, batch });
      const base = { backend, label: report.label, model };
      const notes = [
        batch !== o.batch ? `batch ${batch}` : '',
        single.plain.rates.length === 1 ? `one step of ${(batch / single.plain.sps).toFixed(0)} s, other variants skipped` : '',
      ].filter(Boolean);
      const note = notes.length > 0 ? `(${notes.join('; ')})` : undefined;
      row({ ...base, variant: '1 thread', samplesPerSec: single.plain.sps, windows: single.plain.rates, cpuSamplesPerSec: single.plain.cpuSps, note });
      if (single.telemetry) {
        row({
          ...base, variant: '1 thread + telemetry', samplesPerSec: single.telemetry.sps, windows: single.telemetry.rates,
          cpuSamplesPerSec: single.telemetry.cpuSps,
          overheadPct: 100 * (single.plain.sps / single.telemetry.sps - 1),
          cpuOverheadPct: 100 * (single.plain.cpuSps / single.telemetry.cpuSps - 1),
        });
      }
      if (backend === 'wasm' && o.workers > 1) {
        const dp = await benchDataParallel(model, o);
        const variant = `${o.workers} threads`;
        row({ ...base, variant, samplesPerSec: dp.plain.sps, windows: dp.plain.rates, cpuSamplesPerSec: dp.plain.cpuSps });
        if (dp.telemetry) {
          row({
            ...base, variant: `${variant} + telemetry`, samplesPerSec: dp.telemetry.sps, windows: dp.telemetry.rates, cpuSamplesPerSec: dp.telemetry.cpuSps,
            overheadPct: 100 * (dp.plain.sps / dp.telemetry.sps - 1), cpuOverheadPct: 100 * (dp.plain.cpuSps / dp.telemetry.cpuSps - 1),
          });
        }
      }
    }
  }
  if (o.torch) {
    const torch = runTorch(o, log);
    for (const r of rows) {
      const t = torch.get(torchName(r.model));
      if (t != null) Object.assign(r, { torchSamplesPerSec: t.samplesPerSec, torchCpuSamplesPerSec: t.cpuSamplesPerSec, ratio: r.samplesPerSec / t.samplesPerSec });
    }
  }
  return rows;
}

export function formatTable(rows: Row[]): string {
  const head = ['backend', 'model', 'variant', 'samples/s', 'cpu-time samples/s', 'torch', 'ratio', 'torch per CPU-s', 'telemetry cost', 'load'];
  const body = rows.map((r) => [
    r.backend, r.model, r.variant, r.samplesPerSec.toFixed(0), r.cpuSamplesPerSec.toFixed(0),
    r.torchSamplesPerSec?.toFixed(0) ?? '-', r.ratio?.toFixed(2) ?? '-', r.torchCpuSamplesPerSec?.toFixed(0) ?? '-',
    r.overheadPct == null ? '' : `${r.overheadPct.toFixed(1)}% (cpu ${r.cpuOverheadPct?.toFixed(1)}%)`, r.loadAvg.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function parseArgs(argv: string[]): BenchOptions & { json?: string } {
  const o: BenchOptions & { json?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--models') o.models = next().split(',') as ModelName[];
    else if (a === '--backends') o.backends = next().split(',') as BackendName[];
    else if (a === '--batch') o.batch = Number(next());
    else if (a === '--windows') o.windows = Number(next());
    else if (a === '--window-steps') o.windowSteps = Number(next());
    else if (a === '--warmup-steps') o.warmupSteps = Number(next());
    else if (a === '--workers') o.workers = Number(next());
    else if (a === '--no-dp') o.workers = 0;
    else if (a === '--no-telemetry') o.telemetry = false;
    else if (a === '--no-torch') o.torch = false;
    else if (a === '--json') o.json = next();
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

if (process.argv[1] != null && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = parseArgs(process.argv.slice(2));
  const rows = await runTrainBench(args);
  console.log(`\n${formatTable(rows)}`);
  if (args.json) writeFileSync(args.json, JSON.stringify(rows, null, 2));
}
