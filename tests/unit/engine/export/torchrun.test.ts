// The exported train.py under torchrun: two CPU processes (gloo) train one epoch on an .npz file; rank 0 says
// the world size and writes the weights, which `runs import` brings back as a run. Needs pip's torch 2.x: Debian's 1.13 torchrun fails on Python 3.11
// (AttributeError: 'NoneType' object has no attribute 'get' in elastic/multiprocessing/api.py).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportFiles, writeExportFolder } from '../../../../src/main/engine/export';
import { compiledWithStats, templateGraph } from './helpers';

const version = spawnSync('python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
const torch2 = version.status === 0 && /^[2-9]\./.test(version.stdout.trim());
const skip = torch2 ? false : `PATH's python3 has no torch 2.x (${version.status === 0 ? `torch ${version.stdout.trim()}` : 'no torch'}); Debian's torch 1.13 torchrun is broken on Python 3.11`;

test('torchrun --nproc_per_node 2 trains the exported train.py data-parallel (gloo)', { skip, timeout: 300_000 }, async () => {
  const graph = templateGraph('lenet_mnist');
  const { model } = compiledWithStats(graph);
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-torchrun-'));
  try {
    await writeExportFolder(dir, await exportFiles('pytorch', graph, model, { epochs: 1, batchSize: 8 }));
  } finally {
    model.dispose();
  }
  execFileSync('python3', ['-c', `import numpy as np; np.savez('data.npz', x_train=np.random.rand(64, 28, 28, 1).astype('float32'), y_train=np.random.randint(0, 10, 64), x_val=np.random.rand(16, 28, 28, 1).astype('float32'), y_val=np.random.randint(0, 10, 16))`], { cwd: dir });
  const log = execFileSync('python3', ['-m', 'torch.distributed.run', '--nproc_per_node', '2', '--master_port', '29517', 'train.py', '--data', 'data.npz', '--epochs', '1'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  assert.equal(log.match(/world size 2/g)?.length, 1, `rank 0 alone prints the world size:\n${log}`);
  assert.equal(log.match(/epoch 1\/1 {2}loss \d+\.\d+ {2}val_acc/g)?.length, 1, log);
  assert.match(log, /saved trained\.pt/);
  assert.ok(existsSync(join(dir, 'trained.pt')));
  // The weights load back into the exported model.
  execFileSync('python3', ['-c', "import torch, model; m = model.load_model(); m.load_state_dict(torch.load('trained.pt')); print('ok')"], { cwd: dir });
  // And come back into the lab as a run (runs import), whose checkpoint holds the trained weights.
  const { importTorchRun } = await import('../../../../src/main/service/runs/importTorch');
  const run = await importTorchRun({ runsDir: join(dir, 'runs'), checkpoint: dir, graph, dataset: 'mnist', python: 'python3' });
  assert.equal(run.state, 'completed');
  assert.ok(existsSync(join(dir, 'runs', run.id, 'checkpoints', 'last', 'weights.bin')));
});
