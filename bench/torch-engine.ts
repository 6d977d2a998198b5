// The lab's PyTorch engine (rows `netsmith-torch`: full telemetry, the lab's data pipeline, events, probes every
// 20 steps; again with probes off, for the telemetry's cost) against a plain PyTorch loop on the same Python and the same exported module (bench/torch_plain.py),
// on the three benchmark networks: LeNet (MNIST), the BN ResNet and ViT-Tiny (32 px shapes). On the CPU both use
// the engine's thread count (cpuThreads).
//
//   npm run bench -- train --backends torch [--device cpu|cuda|mps] [--batch 64] [--steps 60]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../src/main/engine/backend/select';
import { compile } from '../src/main/engine/compile/compile';
import { loadDataset } from '../src/main/engine/data/registry';
import { exportPytorch } from '../src/main/engine/export/pytorch/export';
import { discoverTorch } from '../src/main/engine/torch/discover';
import { cpuThreads, trainWithTorch } from '../src/main/engine/torch/engine';
import { adaptToDataset } from '../src/shared/graph/adapt';
import { trainConfigSchema } from '../src/shared/training/config';
import { templateById } from '../src/shared/templates';

export const TORCH_BENCH_NETWORKS = [
  { model: 'lenet', template: 'lenet_mnist', dataset: 'mnist' },
  { model: 'resnet', template: 'resnet_cifar', dataset: 'shapes' },
  { model: 'vit', template: 'vit_tiny_cifar', dataset: 'shapes' },
  // Only when asked for (bench/gpu/torch-check): torchvision's ResNet-18 layout on 32 px images.
  { model: 'resnet18', template: 'resnet18', dataset: 'shapes' },
] as const;
const DEFAULT_MODELS = ['lenet', 'resnet', 'vit'];

export interface TorchBenchRow {
  model: string;
  engine: number;
  /** The same engine with probes off (probeEvery 0): the cost of full telemetry is 1 − engine / noProbes. */
  noProbes: number;
  plain: number;
  ratio: number;
  label: string;
  load: number;
}

export interface TorchBenchOptions {
  models?: string[];
  device?: 'auto' | 'cpu' | 'cuda' | 'mps';
  batch?: number;
  /** Timed steps after 5 warm-up steps. */
  steps?: number;
  /** Runs with and without probes, alternated (medians are reported). */
  repeats?: number;
  log?: (line: string) => void;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function runTorchBench(o: TorchBenchOptions = {}): Promise<TorchBenchRow[]> {
  const log = o.log ?? console.log;
  const found = await discoverTorch();
  if (!found.ok) {
    log(`netsmith-torch: skipped (${found.reason})`);
    return [];
  }
  await selectBackend({ prefer: 'wasm' });
  const batch = o.batch ?? 64;
  const steps = o.steps ?? 60;
  const warmup = 5;
  const rows: TorchBenchRow[] = [];
  for (const net of TORCH_BENCH_NETWORKS.filter((n) => (o.models ?? DEFAULT_MODELS).includes(n.model))) {
    const { dataset } = await loadDataset(net.dataset, { seed: 1 });
    const graph = adaptToDataset(templateById(net.template)!.build(), { name: dataset.info.name, shape: dataset.info.shape, classes: dataset.info.classes.length }).graph;
    let label = '';
    /** Median samples/s over 10-step windows after the warm-up, with probes every `probeEvery` steps (0: off). */
    const measure = async (probeEvery: number): Promise<number> => {
      const config = trainConfigSchema.parse({ epochs: 1, batchSize: batch, trainLimit: batch * (warmup + steps), valLimit: batch, probeEvery, backend: 'torch', device: o.device ?? 'auto', optimizer: { name: 'adam', lr: 1e-3 }, schedule: { name: 'constant' } });
      const times: number[] = [];
      await trainWithTorch({ runDir: mkdtempSync(join(tmpdir(), 'netsmith-torch-bench-')), graph, compiled: compile(graph, { seed: 1 }), dataset, config, hooks: { step: () => times.push(performance.now()), ready: (e) => (label = e.label) } });
      const windows: number[] = [];
      for (let i = warmup; i + 10 < times.length; i += 10) windows.push((10 * batch * 1000) / (times[i + 10] - times[i]));
      return median(windows);
    };
    // Alternated, medians: on a shared machine the load drifts between two back-to-back runs.
    const on: number[] = [];
    const off: number[] = [];
    for (let r = 0; r < (o.repeats ?? 3); r++) {
      on.push(await measure(20));
      off.push(await measure(0));
    }
    const engine = median(on);
    const noProbes = median(off);
    const dir = mkdtempSync(join(tmpdir(), 'netsmith-torch-bench-'));

    const exported = exportPytorch(graph, compile(graph, { seed: 1 }).model);
    writeFileSync(join(dir, 'plain_model.py'), exported.modelPy);
    const [h, w, c] = graph.meta.input.shape;
    const device = label.includes('CUDA') || label.includes('ROCm') ? 'cuda' : label.includes('Apple') ? 'mps' : 'cpu';
    const out = execFileSync(found.python, [fileURLToPath(new URL('./torch_plain.py', import.meta.url)), join(dir, 'plain_model.py'), exported.className, '--shape', `${c},${h},${w}`, '--classes', String(dataset.info.classes.length), '--batch', String(batch), '--window-steps', '10', '--windows', String(Math.max(1, Math.floor(steps / 10))), '--device', device, ...(device === 'cpu' ? ['--threads', String(cpuThreads())] : [])], { encoding: 'utf8' });
    const plain = (JSON.parse(out.trim().split('\n').pop()!) as { samplesPerSec: number }).samplesPerSec;
    const row = { model: net.model, engine, noProbes, plain, ratio: engine / plain, label, load: loadavg()[0] };
    rows.push(row);
    log(`netsmith-torch ${net.model}: ${engine.toFixed(0)} samples/s (probes off ${noProbes.toFixed(0)}, telemetry cost ${(100 * (1 - engine / noProbes)).toFixed(1)}%) vs plain PyTorch loop ${plain.toFixed(0)} (${row.ratio.toFixed(2)}×) on ${label}`);
  }
  return rows;
}

export function formatTorchTable(rows: TorchBenchRow[]): string {
  const head = ['backend', 'model', 'samples/s (full telemetry)', 'probes off', 'telemetry cost', 'plain PyTorch loop', 'ratio', 'engine', 'load'];
  const body = rows.map((r) => ['netsmith-torch', r.model, r.engine.toFixed(0), r.noProbes.toFixed(0), `${(100 * (1 - r.engine / r.noProbes)).toFixed(1)}%`, r.plain.toFixed(0), r.ratio.toFixed(2), r.label, r.load.toFixed(1)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
