// A network trained outside the lab comes back as a run: a PyTorch state dict as the exported train.py (and
// DistributedDataParallel, with 'module.' prefixes) writes it opens in Runs, Predict gives the torch model's own
// probabilities, and Export writes the same weights back out. Bad input (the wrong graph, a corrupt file) gets a
// clear message and leaves nothing behind. Debian's torch (/usr/bin/python3), as in CI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../../../../src/main/engine/compile/compile';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { exportRun } from '../../../../src/main/engine/export';
import { exportPytorch } from '../../../../src/main/engine/export/pytorch/export';
import { decodeSafetensors } from '../../../../src/main/engine/export/pytorch/safetensors';
import { importTorchRun } from '../../../../src/main/service/runs/importTorch';
import { RunRegistry } from '../../../../src/main/service/runs/registry';
import { templateById } from '../../../../src/shared/templates';
import { useCpu } from '../train/approx';

const PYTHON = '/usr/bin/python3';
let work: string;
let mnist: Dataset;
const lenet = templateById('lenet_mnist')!.build();

before(async () => {
  await useCpu();
  work = mkdtempSync(join(tmpdir(), 'netsmith-import-'));
  mnist = (await loadDataset('mnist', { seed: 42 })).dataset;
});
after(() => rmSync(work, { recursive: true, force: true }));

/** The exported module with weights of its own (not the lab's seed), trained one SGD step in torch, saved as DDP would. */
function trainedElsewhere(dir: string): void {
  const exported = exportPytorch(lenet, compile(lenet, { seed: 99 }).model);
  writeFileSync(join(dir, 'model.py'), exported.modelPy);
  writeFileSync(join(dir, 'init.safetensors'), exported.weights);
  execFileSync(PYTHON, ['-c', `
import torch, model
torch.manual_seed(0)
m = getattr(model, '${exported.className}')()
m.load_state_dict(model.load_safetensors('init.safetensors'))
opt = torch.optim.SGD(m.parameters(), lr=0.1)
x = torch.rand(16, 1, 28, 28); y = torch.randint(0, 10, (16,))
torch.nn.functional.cross_entropy(m(x), y).backward(); opt.step()
ddp_style = {'module.' + k: v for k, v in m.state_dict().items()}
torch.save(ddp_style, 'trained.pt')
`], { cwd: dir, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
}

/** The torch model's softmax on one image (NHWC float32 values as the lab feeds it). */
function torchProbabilities(dir: string, image: Float32Array): number[] {
  writeFileSync(join(dir, 'x.bin'), Buffer.from(image.buffer, image.byteOffset, image.byteLength));
  const out = execFileSync(PYTHON, ['-c', `
import json, torch, model, numpy as np
m = getattr(model, '${exportPytorch(lenet, compile(lenet, { seed: 1 }).model).className}')()
m.load_state_dict({k[len('module.'):]: v for k, v in torch.load('trained.pt').items()})
m.eval()
x = torch.from_numpy(np.fromfile('x.bin', dtype=np.float32).reshape(1, 28, 28, 1)).permute(0, 3, 1, 2)
print(json.dumps(torch.softmax(m(x), -1)[0].tolist()))
`], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  return JSON.parse(out.trim().split('\n').pop()!) as number[];
}

test('a DDP-style state dict from a folder becomes a run that Runs lists, Predict runs like torch and Export writes back', { timeout: 300_000 }, async () => {
  const src = join(work, 'cluster-output');
  execFileSync('mkdir', ['-p', src]);
  trainedElsewhere(src);
  const runs = join(work, 'runs');
  const run = await importTorchRun({ runsDir: runs, checkpoint: src, graph: lenet, dataset: 'mnist', python: PYTHON });
  assert.equal(run.state, 'completed');
  assert.match(run.name, /imported trained\.pt/);
  const reg = new RunRegistry(runs);
  assert.deepEqual((await reg.listRuns()).map((r) => r.id), [run.id]);
  const detail = await reg.runDetail({ id: run.id });
  assert.match(JSON.stringify(detail.events), /Imported from trained\.pt/);

  // Predict: the lab's forward pass of the imported weights gives torch's probabilities.
  const image = mnist.split('val').image(3);
  const want = torchProbabilities(src, image);
  const got = await reg.predict({ id: run.id, image: { sampleIndex: 3 }, top: 10 });
  assert.equal(got.top!.length, 10);
  for (const c of got.top!) assert.ok(Math.abs(c.probability - want[c.index]) < 1e-5, `class ${c.index}: ${c.probability} (lab) vs ${want[c.index]} (torch)`);

  // Export: the PyTorch export carries exactly the imported tensors; ONNX exports too.
  const out = join(work, 'export-pt');
  await exportRun(reg.runDir(run.id), 'pytorch', out);
  const weightsFile = readdirSync(out).find((f) => f.endsWith('.safetensors'))!;
  const exported = decodeSafetensors(new Uint8Array(readFileSync(join(out, weightsFile))));
  execFileSync(PYTHON, ['-c', `
import torch, json, sys
sd = {k[len('module.'):]: v for k, v in torch.load('${join(src, 'trained.pt')}').items()}
json.dump({k: v.reshape(-1).tolist() for k, v in sd.items() if v.is_floating_point()}, open('${join(work, 'sd.json')}', 'w'))
`]);
  const original = JSON.parse(readFileSync(join(work, 'sd.json'), 'utf8')) as Record<string, number[]>;
  for (const [k, values] of Object.entries(original)) {
    assert.ok(exported[k], `the export has ${k}`);
    assert.deepEqual(Array.from(exported[k].data), Array.from(Float32Array.from(values)), k);
  }
  const onnx = await exportRun(reg.runDir(run.id), 'onnx', join(work, 'export-onnx'));
  assert.ok(onnx.files.some((f) => f.endsWith('.onnx')));
});

test('the wrong graph, a corrupt file and a folder without a checkpoint: clear messages, no run left behind', { timeout: 300_000 }, async () => {
  const src = join(work, 'cluster-output-2');
  execFileSync('mkdir', ['-p', src]);
  trainedElsewhere(src);
  const runs = join(work, 'runs-bad');
  const resnet = templateById('resnet_cifar')!.build();
  await assert.rejects(importTorchRun({ runsDir: runs, checkpoint: join(src, 'trained.pt'), graph: resnet, dataset: 'shapes', python: PYTHON }), /the checkpoint does not fit the graph 'ResNet.*': it has no '[\w.]+'.*\. Import it with the graph it was trained with\./);
  // LeNet adapted to 3-channel images: the first conv's weights have the wrong shape.
  await assert.rejects(importTorchRun({ runsDir: runs, checkpoint: join(src, 'trained.pt'), graph: lenet, dataset: 'shapes', python: PYTHON }), /the checkpoint does not fit the graph 'LeNet.*': '[\w.]+' is \[6, 1, 5, 5\] but the graph needs \[6, 3, 5, 5\]/);
  writeFileSync(join(src, 'broken.pt'), 'not a checkpoint');
  await assert.rejects(importTorchRun({ runsDir: runs, checkpoint: join(src, 'broken.pt'), graph: lenet, dataset: 'mnist', python: PYTHON }), /broken\.pt is not a PyTorch checkpoint the lab can read: \w+/);
  await assert.rejects(importTorchRun({ runsDir: runs, checkpoint: work, graph: lenet, dataset: 'mnist', python: PYTHON }), /holds none of trained\.pt, torch\.pt.*: name the checkpoint file/);
  assert.ok(!existsSync(runs) || readdirSync(runs).length === 0, 'no run folder is left behind');
});
