// The lab's runner under torchrun (python/netsmith_runner/launch.py, distributed.py): two CPU processes (gloo)
// train LeNet on MNIST data-parallel. Rank 0 talks to the lab and broadcasts each global batch; each rank trains on
// its half and DDP averages the gradients, so the losses are a one-process run's on the same global batches.
// Needs pip's torch 2.x (PATH's python3): Debian's torch 1.13 torchrun fails on Python 3.11
// (AttributeError: 'NoneType' object has no attribute 'get' in elastic/multiprocessing/api.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent } from '../../../../src/shared/api';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { templateById } from '../../../../src/shared/templates';
import { trainConfigSchema } from '../../../../src/shared/training/config';

const probe = spawnSync('python3', ['-c', 'import sys, torch; print(torch.__version__); print(sys.executable)'], { encoding: 'utf8' });
const [torchVersion, PYTHON] = probe.status === 0 ? probe.stdout.trim().split('\n') : ['', ''];
const skip = /^[2-9]\./.test(torchVersion) ? false : `PATH's python3 has no torch 2.x (${torchVersion ? `torch ${torchVersion}` : 'no torch'}); Debian's torch 1.13 torchrun is broken on Python 3.11`;
if (!skip) process.env.NETSMITH_PYTHON = PYTHON;

/** Every process whose command line runs our runner or its launcher, with its parent. */
function runnerProcesses(): { pid: number; ppid: number; cmd: string }[] {
  const out: { pid: number; ppid: number; cmd: string }[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (cmd.includes('netsmith_runner.')) out.push({ pid: Number(pid), ppid, cmd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The launcher this process started and the ranks it started. */
function ourRanks(): { launcher: number[]; ranks: number[] } {
  const all = runnerProcesses();
  const launcher = all.filter((p) => p.ppid === process.pid && p.cmd.includes('netsmith_runner.launch')).map((p) => p.pid);
  return { launcher, ranks: all.filter((p) => launcher.includes(p.ppid) && p.cmd.includes('netsmith_runner.run')).map((p) => p.pid) };
}

const alive = (pids: number[]): number[] => pids.filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].startsWith('Z'));
async function gone(pids: number[]): Promise<number[]> {
  for (let i = 0; i < 100 && alive(pids).length; i++) await new Promise((r) => setTimeout(r, 100));
  return alive(pids);
}

/** A small segmentation network without BatchNorm (each rank's BatchNorm sees only its slice, so a BN network cannot match). */
async function plainSegmenter(): Promise<GraphDoc> {
  const { GraphBuilder } = await import('../../../../src/shared/graph/builder');
  const { conv, finish } = await import('../../../../src/shared/templates/layers');
  const b = new GraphBuilder({ name: 'plain segmenter', task: 'segmentation', input: [64, 64, 3] });
  let x = conv(b, b.input(), { filters: 8, kernel: 3, label: 'c1' });
  x = b.add('act/relu', {}, x);
  x = conv(b, x, { filters: 8, kernel: 3, label: 'c2' });
  x = b.add('act/relu', {}, x);
  b.add('head/segment', { classes: 7 }, x, { label: 'head' });
  return finish(b);
}

async function trainSteps(nproc: number, task: 'classification' | 'segmentation' = 'classification'): Promise<{ losses: number[]; logs: string[]; accuracy: number }> {
  const { compile } = await import('../../../../src/main/engine/compile/compile');
  const { loadDataset } = await import('../../../../src/main/engine/data/registry');
  const { trainWithTorch } = await import('../../../../src/main/engine/torch/engine');
  const segmentation = task === 'segmentation';
  const graph = segmentation ? await plainSegmenter() : templateById('lenet_mnist')!.build();
  const { dataset } = await loadDataset(segmentation ? 'shapes-seg' : 'mnist', { seed: 1 });
  const config = trainConfigSchema.parse({
    epochs: 1, batchSize: segmentation ? 8 : 64, trainLimit: segmentation ? 8 * 20 : 6400, valLimit: segmentation ? 16 : 1000, probeEvery: 0, backend: 'torch', device: 'cpu', nproc,
    optimizer: segmentation ? { name: 'sgd', lr: 0.05 } : { name: 'adam', lr: 0.002 },
  });
  const losses: number[] = [];
  const logs: string[] = [];
  const runDir = mkdtempSync(join(tmpdir(), `netsmith-ddp-${nproc}-`));
  // The same TF.js initial weights (seed 7) on both runs.
  const r = await trainWithTorch({ runDir, graph, compiled: compile(graph, { seed: 7 }), dataset, config, python: PYTHON, hooks: { step: (s) => losses.push(s.loss), log: (_level, message) => logs.push(message) } });
  assert.equal(r.reason, 'completed');
  return { losses, logs, accuracy: r.final!.headline };
}

test('segmentation under DDP: the Dice term is the global batch\'s, so two processes give one process\'s losses', { skip, timeout: 600_000 }, async (t) => {
  const one = await trainSteps(1, 'segmentation');
  const two = await trainSteps(2, 'segmentation');
  assert.equal(one.losses.length, 20);
  assert.equal(two.losses.length, 20);
  // Per-rank Dice (plain DDP) was 4.3e-3 relative off one process within 20 steps; the global sums agree to rounding.
  const rel = one.losses.map((v, i) => Math.abs(v - two.losses[i]) / Math.abs(v));
  t.diagnostic(`max relative loss difference over 20 steps: ${Math.max(...rel).toExponential(2)}`);
  assert.ok(Math.max(...rel) < 1e-4, `max relative difference ${Math.max(...rel)}: ${one.losses.slice(0, 5)} vs ${two.losses.slice(0, 5)}`);
  assert.ok(one.losses[19] < one.losses[0], `the loss falls: ${one.losses[0]} → ${one.losses[19]}`);
});

test('two processes (DDP, gloo) give the losses of one process on the same global batches', { skip, timeout: 600_000 }, async () => {
  const one = await trainSteps(1);
  const two = await trainSteps(2);
  assert.equal(two.logs.filter((l) => /world size 2/.test(l)).length, 1, `rank 0 alone says the world size:\n${two.logs.join('\n')}`);
  assert.ok(!one.logs.some((l) => /world size/.test(l)), 'one process runs without torchrun');
  assert.equal(one.losses.length, 100);
  assert.equal(two.losses.length, 100);
  const rel = one.losses.map((v, i) => Math.abs(v - two.losses[i]) / Math.abs(v));
  // The same weights, batches and math: the first steps agree to float32 rounding (the mean of two half-batch
  // means vs one mean); that rounding (~1e-7) compounds through Adam's updates (measured: 0 up to step 20,
  // 5e-6 at step 50, 6e-4 at step 99), so later steps get a looser bound.
  assert.ok(Math.max(...rel.slice(0, 20)) < 1e-5, `steps 0-19: max relative difference ${Math.max(...rel.slice(0, 20))}`);
  assert.ok(Math.max(...rel) < 5e-3, `steps 0-99: max relative difference ${Math.max(...rel)}`);
  assert.ok(Math.abs(one.accuracy - two.accuracy) <= 0.01, `validation accuracy ${one.accuracy} vs ${two.accuracy}`);
  assert.ok(two.accuracy > 0.85, `validation accuracy after 100 steps: ${two.accuracy}`);
});

/**
 * `train … --epochs 1 --backend torch --device cpu --nproc 2 --json` through the CLI in a fresh home: its events,
 * log lines and result; asserts it exits 0 and that rank 0 alone says the world size.
 */
function trainOnTwoRanks(args: string[]): { home: string; events: (LabEvent | { type: 'result' })[]; logs: string[]; result: { run: { id: string; state: string; backend: string; metrics: Record<string, number> } } | undefined } {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-ddp-cli-'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'train', ...args, '--epochs', '1', '--backend', 'torch', '--device', 'cpu', '--nproc', '2', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, NETSMITH_HOME: home, NETSMITH_PYTHON: PYTHON },
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(r.status, 0, r.stderr.slice(-2000) + r.stdout.slice(-2000));
  const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LabEvent | { type: 'result' });
  const logs = events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
  assert.equal(logs.filter((m) => /python: world size 2$/.test(m)).length, 1, logs.join('\n'));
  const result = events.find((e) => e.type === 'result') as unknown as { run: { id: string; state: string; backend: string; metrics: Record<string, number> } } | undefined;
  return { home, events, logs, result };
}

test('train --backend torch --nproc 2 (CLI): one MNIST epoch on two ranks; the checkpoint loads; accuracy well above chance', { skip, timeout: 600_000 }, () => {
  const { home, events, result } = trainOnTwoRanks(['lenet', '--dataset', 'mnist', '--limit', '12800']);
  assert.equal(result?.run.state, 'completed');
  assert.match(result!.run.backend, /^PyTorch · CPU · torch 2\.\S+ · 2 processes \(DDP\)$/);
  assert.ok(result!.run.metrics.val_accuracy > 0.9, `val accuracy ${result!.run.metrics.val_accuracy}`);
  assert.ok(events.some((e) => e.type === 'probe'), 'rank 0 sends the probes');
  // The checkpoint opens in the lab's form (model.json) and in PyTorch (torch.pt into the exported module).
  const run = join(home, 'runs', result!.run.id);
  assert.ok(existsSync(join(run, 'checkpoints', 'best', 'model.json')));
  const modelPy = join(run, 'torch', 'model.py');
  const className = [...readFileSync(modelPy, 'utf8').matchAll(/^class (\w+)\(nn\.Module\)/gm)].pop()![1];
  const load = spawnSync(PYTHON, ['-c', [
    'import importlib.util, torch',
    `spec = importlib.util.spec_from_file_location('m', '${modelPy}'); m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)`,
    `ck = torch.load('${join(run, 'checkpoints', 'best', 'torch.pt')}', map_location='cpu')`,
    `net = m.${className}(); net.load_state_dict(ck['model']); net.eval()`,
    'print(sorted(ck), tuple(net(torch.zeros(1, 1, 28, 28)).shape))',
  ].join('\n')], { encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);
  assert.match(load.stdout, /\['model', 'optimizer', 'rng'\] \(1, 10\)/);
});

test('train --backend torch --nproc 2 (CLI): UNet segmentation on two ranks completes with its mIoU; a repeated PyTorch warning is logged once', { skip, timeout: 600_000 }, () => {
  const { events, logs, result } = trainOnTwoRanks(['unet_small', '--dataset', 'shapes-seg', '--limit', '256']);
  assert.equal(result?.run.state, 'completed');
  const { val_mIoU: miou, val_accuracy: pixelAccuracy } = result!.run.metrics;
  assert.ok(Number.isFinite(miou) && miou > 0 && miou <= 1, `val mIoU ${miou}`);
  assert.ok(pixelAccuracy > 0 && pixelAccuracy <= 1, `pixel accuracy ${pixelAccuracy}`);
  // Both ranks' gradients reach the weights: the loss (cross-entropy + Dice) falls within the one epoch.
  const losses = events.flatMap((e) => (e.type === 'step' ? [e.loss] : []));
  assert.ok(losses.length >= 4 && losses.every(Number.isFinite), `step losses ${losses}`);
  assert.ok(losses[losses.length - 1] < 0.9 * losses[0], `loss ${losses[0]} → ${losses[losses.length - 1]}`);
  // On CPUs without NNPACK, torch 2.x warns "Could not initialize NNPACK" on every convolution of each rank.
  const cppWarnings = logs.filter((m) => /^python: (\[rank\d+\]:)?\[W\d{4} /.test(m));
  assert.equal(new Set(cppWarnings.map((m) => m.replace(/^python: (\[rank\d+\]:)?\[W\d{4} [\d:.]+ /, ''))).size, cppWarnings.length, cppWarnings.join('\n'));
});

test('stopping and killing a 2-process run leaves no rank behind', { skip, timeout: 600_000 }, async () => {
  const { RunRegistry } = await import('../../../../src/main/service/runs/registry');
  const reg = new RunRegistry(mkdtempSync(join(tmpdir(), 'netsmith-ddp-runs-')));
  const project = JSON.stringify(templateById('lenet_mnist')!.build());
  const config = { epochs: 3, batchSize: 32, trainLimit: 3200, valLimit: 300, backend: 'torch', device: 'cpu', nproc: 2 };
  // The first step, or the run's end (then the assertion says why it ended).
  const stepped = (id: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const off = reg.onEvent((e) => {
        if (e.type === 'step' && e.runId === id) {
          off();
          resolve();
        } else if (e.type === 'run-status' && e.run.id === id && e.run.state !== 'running' && e.run.state !== 'queued') {
          off();
          reject(new Error(`the run ended before its first step: ${e.run.state} ${e.run.error ?? ''}`));
        }
      });
    });

  // Stop: the lab closes the pipe, rank 0 tells the others, all exit; the run keeps its last checkpoint.
  const a = await reg.startRun({ project, dataset: 'mnist', config });
  await stepped(a.id);
  const first = ourRanks();
  assert.equal(first.launcher.length, 1, 'one launcher (torchrun) per run');
  assert.equal(first.ranks.length, 2, 'two ranks');
  await reg.controlRun({ id: a.id, action: 'stop' });
  const stopped = await reg.wait(a.id);
  assert.equal(stopped.state, 'stopped', stopped.error);
  assert.ok(existsSync(join(reg.runDir(a.id), 'checkpoints', 'last', 'torch.pt')));
  assert.deepEqual(await gone([...first.launcher, ...first.ranks]), [], 'the launcher and both ranks exit');

  // Kill: the run's worker is terminated; the launcher dies with it and the ranks with the launcher.
  const b = await reg.startRun({ project, dataset: 'mnist', config });
  await stepped(b.id);
  const second = ourRanks();
  assert.equal(second.ranks.length, 2);
  await reg.kill(b.id);
  assert.equal((await reg.wait(b.id)).state, 'failed');
  assert.deepEqual(await gone([...second.launcher, ...second.ranks]), [], 'no orphan rank');
});

test('--nproc: torchrun with gloo on CPUs and NCCL on CUDA; torch 1.13 and Apple GPUs are refused with the reason', async () => {
  const { dataParallel } = await import('../../../../src/main/engine/torch/engine');
  assert.deepEqual(dataParallel(1, '1.13.0a0', 'cpu'), { spawn: {} });
  assert.deepEqual(dataParallel(2, '2.5.1+cpu', 'cpu').spawn, { module: 'netsmith_runner.launch', args: ['--nproc_per_node', '2'], env: { NETSMITH_DIST_BACKEND: 'gloo' } });
  assert.equal(dataParallel(4, '2.5.1+cu124', 'cuda:0').spawn.env?.NETSMITH_DIST_BACKEND, 'cpu:gloo,cuda:nccl');
  assert.throws(() => dataParallel(2, '1.13.0a0', 'cpu'), /needs torch 2\.0 or newer; the Python found has torch 1\.13\.0a0/);
  assert.throws(() => dataParallel(2, '2.5.1', 'mps'), /Apple GPUs run one process/);
});

test('train --nproc needs --backend torch', async () => {
  const { trainSettings } = await import('../../../../src/main/host/commands/train');
  await assert.rejects(trainSettings({ dataset: 'mnist', nproc: '2' }, undefined), /--nproc trains data-parallel processes under torchrun: it needs --backend torch/);
  assert.equal((await trainSettings({ dataset: 'mnist', nproc: '2', backend: 'torch' }, undefined)).nproc, 2);
  await assert.rejects(trainSettings({ dataset: 'mnist', nproc: 'two', backend: 'torch' }, undefined), /--nproc needs an integer/);
});

// Each rank computes the detection loss on its images' slice, normalised by the global batch's positives: the
// slices' losses add up to the whole batch's (DDP's share-weighted average is then the one-process gradient; a
// network with BatchNorm still normalises each rank's slice, as in plain DDP). Debian's torch 1.13 suffices.
const SHARD_CHECK = String.raw`
import json, random, torch
from netsmith_runner.assign import detection_targets, prior_table
from netsmith_runner.tasks import DetectionLoss
random.seed(3); torch.manual_seed(3)
levels = [
    {'output': 0, 'stride': 8, 'gridH': 8, 'gridW': 8, 'classes': 3, 'anchors': [[6, 7], [12, 10], [16, 22]]},
    {'output': 1, 'stride': 16, 'gridH': 4, 'gridW': 4, 'classes': 3, 'anchors': [[24, 20], [30, 40], [52, 48]]},
]
for l in levels:
    l['priors'] = prior_table(l)
cfg = {'image': {'h': 64, 'w': 64}, 'levels': levels, 'options': {'boxLoss': 'ciou', 'objectness': 'bce', 'classLoss': 'bce', 'weights': {'box': 5, 'obj': 1, 'cls': 1}, 'ignoreIoU': 0.5}}
n = 7
rows = [[[random.randrange(3), random.uniform(0.2, 0.8), random.uniform(0.2, 0.8), random.uniform(0.1, 0.4), random.uniform(0.1, 0.4)] for _ in range(random.randrange(1, 4))] for _ in range(n)]
g = max(len(r) for r in rows)
rows = [r + [[-1, 0, 0, 0, 0]] * (g - len(r)) for r in rows]
loss = DetectionLoss(cfg, torch.device('cpu'))
t = loss.targets(detection_targets(rows, levels, cfg['image'], 4))
outs = [torch.randn(n, l['gridH'], l['gridW'], 3 * 8, dtype=torch.float64) for l in levels]
whole, _ = loss(outs, t)
total = sum(int(x['rows'].numel()) for x in t[0])
parts = 0
for lo, hi in [(0, 3), (3, 7)]:
    part, _ = loss([o[lo:hi] for o in outs], loss.shard(t, lo, hi), total=total)
    parts = parts + part
print(json.dumps({'whole': whole.item(), 'parts': parts.item(), 'positives': total}))
`;

test('the detection loss of two ranks\' slices adds up to the whole batch\'s', { timeout: 120_000 }, async () => {
  const { PYTHON_ROOT } = await import('../../../../src/main/engine/torch/discover');
  const r = spawnSync('/usr/bin/python3', ['-c', SHARD_CHECK], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: PYTHON_ROOT } });
  assert.equal(r.status, 0, r.stderr);
  const { whole, parts, positives } = JSON.parse(r.stdout) as { whole: number; parts: number; positives: number };
  assert.ok(positives > 10, `${positives} positives`);
  assert.ok(Math.abs(whole - parts) < 1e-12 * Math.abs(whole), `whole batch ${whole}, slices ${parts}`);
});
