// Frozen blocks keep their weights bit-identical through training (BatchNorm statistics too, unless the run keeps
// updating them); any lab checkpoint initialises another graph, matched by label and shape, with a report.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adaptToDataset } from '../../../../src/shared/graph/adapt';
import { analyze } from '../../../../src/shared/graph/analyze';
import { freezeTotals, freezeUpTo } from '../../../../src/shared/graph/freeze';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { templateById } from '../../../../src/shared/templates';
import { trainConfigSchema } from '../../../../src/shared/training/config';
import { selectBackend } from '../../../../src/main/engine/backend/select';
import { compile } from '../../../../src/main/engine/compile/compile';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { IMAGENET_PREPROCESSING, writeModelFolder } from '../../../../src/main/engine/modelFolder';
import { applyFreeze } from '../../../../src/main/engine/train/frozen';
import { train } from '../../../../src/main/engine/train/trainer';
import { initFrom } from '../../../../src/main/engine/weights/initFrom';

const work = mkdtempSync(join(tmpdir(), 'netsmith-freeze-'));
after(() => rmSync(work, { recursive: true, force: true }));

const graphFor = (classes: number): GraphDoc => adaptToDataset(templateById('resnet_cifar')!.build(), { name: 'mnist', shape: [28, 28, 1], classes }).graph;
/** The stem and the first residual block: conv1, bn1, relu and layer1.0's layers. */
const backboneEnd = (g: GraphDoc): string => g.nodes.find((n) => n.label === 'layer1.0.relu2' || n.label?.startsWith('layer1.0.') && n.type === 'merge/add')!.id;

const snapshot = (model: tf.LayersModel): Map<string, Float32Array> => new Map(model.weights.map((w) => [w.originalName ?? w.name, w.read().dataSync() as Float32Array]));
const sameBits = (a: Float32Array, b: Float32Array): boolean => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('frozen blocks', () => {
  let dataset: Dataset;
  before(async () => {
    await selectBackend({ prefer: 'wasm' });
    dataset = (await loadDataset('mnist', { seed: 1 })).dataset;
  });
  const config = (frozenBatchNorm: 'running' | 'update') => trainConfigSchema.parse({ epochs: 1, batchSize: 32, trainLimit: 96, valLimit: 32, probeEvery: 0, workers: 1, seed: 3, optimizer: { name: 'adam', lr: 0.01 }, frozenBatchNorm });

  for (const mode of ['running', 'update'] as const) {
    it(`the optimizer leaves frozen weights bit-identical (BatchNorm: ${mode})`, { timeout: 300_000 }, async () => {
      const base = graphFor(10);
      const graph = freezeUpTo(base, backboneEnd(base));
      const frozenNodes = graph.nodes.filter((n) => n.frozen);
      assert.ok(frozenNodes.some((n) => n.label === 'conv1') && frozenNodes.some((n) => n.label === 'bn1') && !frozenNodes.some((n) => n.label?.startsWith('layer2')));
      const totals = freezeTotals(graph, analyze(graph));
      const compiled = compile(graph, { seed: 1 });
      const summary = applyFreeze(compiled, graph, mode);
      assert.equal(summary.frozen, totals.frozen, 'the engine freezes what the totals count');
      assert.equal(summary.trainable, totals.trainable);
      const frozenLayers = new Set(summary.layers);
      const before = snapshot(compiled.model);
      await train({ model: compiled.model, dataset, config: config(mode), hooks: {} });
      const afterTrain = snapshot(compiled.model);
      let changedTrainable = 0;
      for (const [name, old] of before) {
        const layer = name.split('/')[0];
        const stats = /moving_(mean|variance)$/.test(name);
        if (frozenLayers.has(layer)) {
          if (stats && mode === 'update') assert.ok(!sameBits(old, afterTrain.get(name)!), `${name}: running statistics keep updating`);
          else assert.ok(sameBits(old, afterTrain.get(name)!), `${name} is frozen but changed`);
        } else if (!stats && !sameBits(old, afterTrain.get(name)!)) changedTrainable++;
      }
      assert.ok(changedTrainable > 10, 'the trainable part did train');
      compiled.model.dispose();
    });
  }
});

describe('init from another checkpoint', () => {
  it('loads the tensors that match by label and shape and reports the rest', { timeout: 120_000 }, async () => {
    await selectBackend({ prefer: 'wasm' });
    const source = compile(graphFor(10), { seed: 5 });
    const dir = join(work, 'pretrained');
    const info = { format: 'netsmith.model' as const, version: 1 as const, name: 'small resnet', task: 'classification' as const, classes: Array.from({ length: 10 }, (_, i) => String(i)), source: 'test', notes: [], createdAt: new Date().toISOString() };
    await writeModelFolder(dir, info, graphFor(10), { ...IMAGENET_PREPROCESSING, input: [28, 28, 1], mean: [0.5], std: [0.25] }, source.model);
    const target = compile(graphFor(3), { seed: 6 });
    const report = await initFrom(dir, target.model);
    assert.equal(report.total, target.model.weights.length);
    assert.equal(report.loaded, report.total - 2);
    assert.deepEqual(report.skipped, ['fc (10→3 classes: a new head)']);
    assert.match(report.message, /^Initialised from model folder small resnet: loaded \d+ of \d+ tensors; skipped fc \(10→3 classes: a new head\)\.$/);
    assert.deepEqual(report.source.norm, { mean: [0.5], std: [0.25] });
    const conv = (m: tf.LayersModel) => m.getLayer('conv1').getWeights()[0].dataSync();
    assert.ok(sameBits(conv(source.model) as Float32Array, conv(target.model) as Float32Array));
    source.model.dispose();
    target.model.dispose();
  });
});
