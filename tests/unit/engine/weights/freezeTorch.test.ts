// The PyTorch engine keeps frozen blocks bit-identical too (requires_grad off, BatchNorm in eval mode), starting
// from a model folder's weights (initFrom), through the run registry as the app runs it.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freezeUpTo } from '../../../../src/shared/graph/freeze';
import { templateById } from '../../../../src/shared/templates';
import { compile } from '../../../../src/main/engine/compile/compile';
import { writeModelFolder } from '../../../../src/main/engine/modelFolder';
import { readCheckpointTensors } from '../../../../src/main/engine/weights/initFrom';
import { RunRegistry } from '../../../../src/main/service/runs/registry';

const PYTHON = '/usr/bin/python3';
const SKIP = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0 ? false : "Debian's python3-torch (/usr/bin/python3) is not installed";
process.env.NETSMITH_PYTHON = PYTHON;
const work = mkdtempSync(join(tmpdir(), 'netsmith-freeze-torch-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('PyTorch engine: frozen weights and BatchNorm statistics are unchanged after training; the rest trains', { skip: SKIP, timeout: 300_000 }, async () => {
  await tf.setBackend('cpu');
  const graph = templateById('resnet_cifar')!.build();
  const source = compile(graph, { seed: 9 });
  const weights = join(work, 'weights');
  await writeModelFolder(weights, { format: 'netsmith.model', version: 1, name: 'rc', task: 'classification', classes: Array.from({ length: 10 }, (_, i) => `c${i}`), source: 'test', notes: [], createdAt: new Date().toISOString() }, graph, { input: [32, 32, 3], scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], resize: 'stretch' }, source.model);
  source.model.dispose();
  const frozenGraph = freezeUpTo(graph, graph.nodes.find((n) => n.label === 'layer1.0.relu2')!.id);
  const reg = new RunRegistry(join(work, 'runs'));
  const run = await reg.startRun({ project: JSON.stringify(frozenGraph), dataset: 'shapes', config: { epochs: 1, batchSize: 32, trainLimit: 64, valLimit: 64, probeEvery: 0, backend: 'torch', device: 'cpu', initFrom: weights } });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  const runDir = join(work, 'runs', run.id);
  const ck = join(runDir, 'checkpoints', readdirSync(join(runDir, 'checkpoints')).find((n) => n.startsWith('epoch'))!);
  const [before, afterTrain] = [await readCheckpointTensors(join(weights, 'checkpoint')), await readCheckpointTensors(ck)];
  const frozenLayers = new Set(frozenGraph.nodes.filter((n) => n.frozen && n.label).map((n) => n.label!));
  let changed = 0;
  for (const name of Object.keys(before)) {
    const same = Buffer.from((before[name].dataSync() as Float32Array).buffer).equals(Buffer.from((afterTrain[name].dataSync() as Float32Array).buffer));
    if (frozenLayers.has(name.split('/')[0])) assert.ok(same, `${name} is frozen but changed`);
    else if (!same) changed++;
  }
  assert.ok(changed >= 10, `trainable tensors changed: ${changed}`);
  assert.equal(done.weightsFrom, 'weights');
  assert.equal(done.frozenBlocks, frozenGraph.nodes.filter((n) => n.frozen).length);
});
