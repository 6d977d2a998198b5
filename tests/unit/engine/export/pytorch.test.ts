import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportFiles, writeExportFolder } from '../../../../src/main/engine/export';
import { BLOCKS } from '../../../../src/shared/blocks';
import { TEMPLATES } from '../../../../src/shared/templates';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { scheduleConfig } from '../../../../src/shared/training/schedulePreview';
import { learningRateAt, ScheduleConfigSchema } from '../../../../src/shared/training/schedules';
import { trainConfigSchema } from '../../../../src/shared/training/config';
import { CASES } from '../../blocks/contracts';
import { caseGraph, caseName } from '../compile/cases';
import { atSmallInput } from '../compile/harness';
import { comparePytorch, TORCH_PYTHON as PYTHON, type TorchJob } from './formats';
import { assertRefused, compiledWithStats, declaredUnsupported, foldKindsGraph, maxAbsDiff, templateGraph } from './helpers';

const work = mkdtempSync(join(tmpdir(), 'netsmith-pytorch-export-'));
after(() => rmSync(work, { recursive: true, force: true }));
before(async () => {
  await tf.setBackend('cpu');
});

/** Block types that declare no PyTorch export (a twin with neither code nor a declaration fails here). */
const unsupportedIn = (graph: GraphDoc): string[] => declaredUnsupported(graph, 'pytorch').map((u) => u.type);

type Job = TorchJob;
const compareAll = (jobs: Job[]): Promise<Map<string, number>> => comparePytorch(work, jobs);

describe('PyTorch export equals the lab within 1e-4 (python3-torch)', { skip: PYTHON ? false : 'no python3 with torch' }, () => {
  test('templates: lenet_mnist, resnet_cifar, mobilenet_v2_cifar', async (ctx) => {
    const diffs = await compareAll(['lenet_mnist', 'resnet_cifar', 'mobilenet_v2_cifar'].map((id) => ({ name: id, graph: templateGraph(id) })));
    for (const [name, d] of diffs) ctx.diagnostic(`${name}: max |torch − lab| / max(1, |lab|) = ${d.toExponential(2)}`);
    for (const [name, d] of diffs) assert.ok(d <= 1e-4, `${name}: max |torch − lab| / max(1, |lab|) = ${d}`);
  });

  test('every other template with PyTorch code for all its blocks, at a small input', async (ctx) => {
    const all = TEMPLATES.filter((t) => !['lenet_mnist', 'resnet_cifar', 'mobilenet_v2_cifar'].includes(t.id)).map((t) => ({ name: t.id, graph: atSmallInput(t.build()) }));
    // A template using a block that declares no PyTorch export must be refused with that reason, not skipped.
    for (const j of all.filter((j) => unsupportedIn(j.graph).length > 0)) await assertRefused('pytorch', j.graph, declaredUnsupported(j.graph, 'pytorch'));
    const jobs = all.filter((j) => unsupportedIn(j.graph).length === 0);
    for (const id of ['lenet5', 'resnet18', 'mobilenet_v2', 'vit_tiny', 'yolo_tiny', ...TEMPLATES.filter((t) => t.family === 'detection').map((t) => t.id)]) {
      assert.ok(jobs.some((j) => j.name === id), `${id} has PyTorch code for every block`);
    }
    const diffs = await compareAll(jobs);
    for (const [name, d] of diffs) ctx.diagnostic(`${name}: max |torch − lab| / max(1, |lab|) = ${d.toExponential(2)}`);
    const bad = [...diffs].filter(([, d]) => !(d <= 1e-4));
    assert.deepEqual(bad, []);
  });

  test('Conv-BN fusion: resnet18, mobilenet_v2 (small input) and every foldable layer kind, fused, equal the lab within 1e-4, without BatchNorm layers', async (ctx) => {
    const jobs = ['resnet18', 'mobilenet_v2'].map((id) => ({ name: `${id} fused`, graph: atSmallInput(templateGraph(id)), fuse: true }));
    jobs.push({ name: 'separable, depthwise, grouped, dense fused', graph: foldKindsGraph(), fuse: true });
    const diffs = await compareAll(jobs);
    for (const [name, d] of diffs) ctx.diagnostic(`${name}: max |torch − lab| / max(1, |lab|) = ${d.toExponential(2)}`);
    assert.deepEqual([...diffs].filter(([, d]) => !(d <= 1e-4)), []);
    const { model } = compiledWithStats(jobs[0].graph);
    try {
      const netOf = (py: string): string => py.slice(py.indexOf('class ResNet18('));
      const py = netOf((await exportFiles('pytorch', jobs[0].graph, model, {}, { fuseBatchNorm: true }))['model.py'] as string);
      assert.doesNotMatch(py, /nn\.BatchNorm2d\(/);
      assert.match(py, /nn\.Conv2d\(3, 64, 7, stride=2, padding=\(3, 3\), bias=True\)/);
      const plain = netOf((await exportFiles('pytorch', jobs[0].graph, model))['model.py'] as string);
      assert.equal(plain.match(/nn\.BatchNorm2d\(/g)?.length, 20);
    } finally {
      model.dispose();
    }
  });

  test('every block with PyTorch code, over the contract cases', async () => {
    const jobs: Job[] = [];
    const refused: GraphDoc[] = [];
    for (const def of BLOCKS) {
      (CASES[def.type] ?? [{}]).forEach((c, i) => {
        const { graph } = caseGraph(def.type, c);
        if (unsupportedIn(graph).length === 0) jobs.push({ name: `${def.type} ${caseName(c, i)}`, graph });
        else refused.push(graph);
      });
    }
    for (const graph of refused) await assertRefused('pytorch', graph, declaredUnsupported(graph, 'pytorch'));
    const diffs = await compareAll(jobs);
    const bad = [...diffs].filter(([, d]) => !(d <= 1e-4));
    assert.deepEqual(bad, []);
    assert.ok(diffs.size >= 40, `${diffs.size} cases ran`);
  });
});

describe('train.py (python3-torch)', { skip: PYTHON ? false : 'no python3 with torch' }, () => {
  test('follows the lab schedule step by step and trains from the exported weights', async () => {
    const graph = templateGraph('lenet_mnist');
    const { model } = compiledWithStats(graph);
    const configs = [
      { epochs: 5, batchSize: 4, optimizer: { name: 'nesterov', lr: 0.05 }, schedule: { name: 'onecycle' } },
      { epochs: 5, batchSize: 4, optimizer: { name: 'adamw', lr: 0.01 }, schedule: { name: 'cosine', warmupEpochs: 1, minLrFactor: 0.1 } },
      { epochs: 5, batchSize: 4, optimizer: { name: 'rmsprop', lr: 0.01 }, schedule: { name: 'step', stepEpochs: 2, gamma: 0.5 } },
    ];
    try {
      for (const [i, config] of configs.entries()) {
        const dir = join(work, `train-${i}`);
        await writeExportFolder(dir, await exportFiles('pytorch', graph, model, config));
        const parsed = trainConfigSchema.parse(config);
        const stepsPerEpoch = 5;
        const total = stepsPerEpoch * parsed.epochs;
        const lab = Array.from({ length: total }, (_, s) => learningRateAt(ScheduleConfigSchema.parse(scheduleConfig(parsed, stepsPerEpoch)), s, total, stepsPerEpoch));
        const code = `import json, sys; sys.path.insert(0, ${JSON.stringify(dir)}); import train; print(json.dumps([train.learning_rate_at(train.schedule_config(${stepsPerEpoch}), s, ${total}, ${stepsPerEpoch}) for s in range(${total})]))`;
        const py = JSON.parse(execFileSync(PYTHON!, ['-c', code], { encoding: 'utf8' }).trim().split('\n').pop()!) as number[];
        assert.ok(maxAbsDiff(py, lab) <= 1e-9 * Math.max(...lab), `${parsed.schedule.name}: ${JSON.stringify(py)} vs ${JSON.stringify(lab)}`);
      }
      const dir = join(work, 'train-0');
      execFileSync(PYTHON!, ['-c', `import numpy as np; np.savez(${JSON.stringify(join(dir, 'data.npz'))}, x_train=np.random.rand(12, 28, 28, 1).astype('float32'), y_train=np.random.randint(0, 10, 12))`]);
      const log = execFileSync(PYTHON!, ['train.py', '--data', 'data.npz', '--epochs', '1', '--from-weights', '--out', 'trained.pt'], { cwd: dir, encoding: 'utf8' });
      assert.match(log, /epoch 1\/1 {2}loss \d+\.\d+/);
      assert.match(log, /saved trained\.pt/);
    } finally {
      model.dispose();
    }
  });
});
