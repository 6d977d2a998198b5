import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LabEvent } from '../../../src/shared/api';
import { analyze, errorsOf } from '../../../src/shared/graph/analyze';
import { describeExperiment, EXPERIMENTS, experimentById, resolveConfig, VariantCollector, variantGraph, variantProjects } from '../../../src/shared/experiments';
import { confidenceStats, fmtRatio, gradRatio, gradRatioMedian } from '../../../src/shared/experiments/measures';
import { receptiveFieldOf, receptiveFields } from '../../../src/shared/experiments/receptiveField';
import { convStack } from '../../../src/shared/experiments/graphs';
import type { ExperimentDoc, VariantResult, VerdictContext } from '../../../src/shared/experiments/types';
import { makeUserExperiment, userExperimentSchema, userExperimentVerdict } from '../../../src/shared/experiments/user';
import { restore } from '../../../src/shared/graph/restore';
import { actProbe, confidences, fake, gradProbe } from './fixtures';

const doc = (id: string): ExperimentDoc => experimentById(id)!;
const ctxOf = (d: ExperimentDoc): VerdictContext => ({ graphs: Object.fromEntries(d.variants.map((v) => [v.id, variantGraph(d, v)])), seed: 42 });
const verdict = (id: string, results: VariantResult[]) => doc(id).verdict(results, ctxOf(doc(id)));

test('every experiment: valid graphs, configs that parse, the required fields, unique ids', () => {
  assert.ok(EXPERIMENTS.length >= 9);
  assert.equal(new Set(EXPERIMENTS.map((e) => e.id)).size, EXPERIMENTS.length);
  for (const e of EXPERIMENTS) {
    assert.ok(e.title && e.concept && e.claim && e.explanation && e.formula && e.notes.files.length, e.id);
    assert.ok(e.variants.length >= 2, `${e.id} compares at least two variants`);
    const info = describeExperiment(e);
    for (const v of info.variants) {
      assert.deepEqual(errorsOf(analyze(v.graph)), [], `${e.id}/${v.id} graph has no errors`);
      assert.ok(restore(JSON.stringify(v.graph)).ok, `${e.id}/${v.id} survives restore`);
      assert.ok(v.params > 0 && v.flops > 0);
      assert.ok(v.config.epochs >= 1);
    }
    assert.equal(variantProjects(e).length, e.variants.length);
    assert.match(variantProjects(e)[0].path, new RegExp(`^experiments/${e.id}/.+\\.netsmith\\.json$`));
    assert.equal(JSON.parse(variantProjects(e)[0].text).format, 'netsmith.project');
  }
});

test('configs: variant patches deep-merge over the experiment, overrides last', () => {
  const bn = doc('bn-high-lr');
  const low = resolveConfig(bn.config, bn.variants[0].config, { seed: 7, backend: 'wasm' });
  assert.equal(low.optimizer.name, 'momentum');
  assert.equal(low.optimizer.lr, 0.01);
  assert.equal(low.optimizer.momentum, 0.9);
  assert.equal(low.seed, 7);
  assert.equal(low.backend, 'wasm');
  assert.equal(low.schedule.name, 'constant');
  assert.equal(resolveConfig(bn.config, bn.variants[1].config).optimizer.lr, 0.3);
  assert.equal(describeExperiment(doc('overfitting')).variants[0].config.checkpointEvery, 10_000, 'experiments keep only the final checkpoint');
  const init = describeExperiment(doc('initialization'));
  const he = init.variants.find((v) => v.id === 'he')!.graph;
  assert.ok(he.nodes.filter((n) => n.type === 'core/dense').every((n) => n.init === 'he_normal'));
});

test('measures: gradient ratio, confidence statistics and ECE', () => {
  assert.equal(gradRatio(gradProbe([1e-6, 1e-3, 1])), 1e-6);
  assert.equal(gradRatio(gradProbe([1])), null);
  assert.equal(gradRatioMedian(fake('x', { probes: [gradProbe([1, 10]), gradProbe([3, 10]), gradProbe([2, 10])] })), 0.2);
  const s = confidenceStats([...confidences(50, 0.995, 1), ...confidences(50, 0.65, 0.5)])!;
  assert.equal(s.n, 100);
  assert.ok(Math.abs(s.mean - 0.8225) < 1e-9);
  assert.equal(s.over99, 0.5);
  assert.equal(s.histogram[9], 50);
  assert.equal(s.histogram[6], 50);
  // bin 9: acc 1 vs conf .995 → .005; bin 6: acc .5 vs conf .65 → .15; weighted by 1/2 each
  assert.ok(Math.abs(s.ece - (0.5 * 0.005 + 0.5 * 0.15)) < 1e-9);
  assert.equal(confidenceStats([]), null);
  assert.equal(fmtRatio(1.234e-7), '1.2e-7');
  assert.equal(fmtRatio(0.31), '0.31');
});

test('collector: folds one run’s events, reads confidences from the confusion cells, spots a divergence', () => {
  const c = new VariantCollector('r1');
  const events: LabEvent[] = [
    { type: 'step', runId: 'r1', step: 1, epoch: 1, loss: 2, accuracy: 0.1, lr: 0.1, samplesPerSec: 100 },
    { type: 'step', runId: 'other', step: 1, epoch: 1, loss: 9, lr: 0.1, samplesPerSec: 100 },
    { type: 'probe', runId: 'r1', step: 0, epoch: 1, layers: [{ node: 'a', layer: 'a', kind: 'weights', gradNorm: 1e-8, weightHist: { min: 0, max: 1, counts: [1] } }, { node: 'b', layer: 'b', kind: 'weights', gradNorm: 1 }] },
    {
      type: 'epoch',
      runId: 'r1',
      epoch: 1,
      lr: 0.1,
      seconds: 2,
      train: { loss: 1.5, accuracy: 0.4 },
      val: { loss: 1.2, accuracy: 2 / 3, confusion: [[1, 0], [1, 1]], cellSamples: { '0,0': [0], '1,0': [1], '1,1': [2] }, sampleTop: { 0: [[0, 0.9], [1, 0.1]], 1: [[0, 0.6], [1, 0.4]], 2: [[1, 0.99], [0, 0.01]] } },
    },
  ];
  for (const e of events) c.add(e);
  const r = c.result({ variant: 'v', name: 'V', state: 'failed', seconds: 3, params: 1, flops: 2, error: 'The loss became NaN/Inf at step 17, first in layer x' });
  assert.equal(r.steps.length, 1);
  assert.equal(r.epochs[0].valAccuracy, 2 / 3);
  assert.equal(r.divergedAtStep, 17);
  assert.equal(r.valSamples, 3);
  assert.deepEqual(r.confidence!.map((s) => [s.confidence, s.correct]).sort(), [[0.6, false], [0.9, true], [0.99, true]]);
  assert.equal(r.probes[0].layers[0].gradNorm, 1e-8);
  assert.equal((r.probes[0].layers[0] as { weightHist?: unknown }).weightHist, undefined, 'weight histograms are dropped');
});

test('gradient-flow verdict: vanished sigmoid gradient supports the claim; a healthy one contradicts it', () => {
  const probes = (ratio: number) => [gradProbe([ratio, 0.5, 1]), gradProbe([ratio, 0.5, 1], 8)];
  const good = verdict('gradient-flow', [
    fake('sigmoid', { name: 'Plain sigmoid', probes: probes(1e-9) }),
    fake('relu', { probes: probes(0.5) }),
    fake('relu_bn', { probes: probes(0.9) }),
    fake('residual', { name: 'Residual', probes: probes(0.3) }),
  ]);
  assert.equal(good.effect.direction, 'supports');
  assert.match(good.text, /Plain sigmoid: 1e-9/);
  assert.match(good.text, /Residual: 0\.3/);
  assert.equal(good.perVariant.sigmoid.grad_ratio, 1e-9);
  const bad = verdict('gradient-flow', [fake('sigmoid', { probes: probes(0.5) }), fake('relu', { probes: probes(0.1) }), fake('relu_bn', { probes: probes(0.9) }), fake('residual', { probes: probes(0.3) })]);
  assert.equal(bad.effect.direction, 'contradicts');
  const missing = verdict('gradient-flow', [fake('sigmoid'), fake('relu'), fake('relu_bn'), fake('residual')]);
  assert.equal(missing.effect.direction, 'inconclusive', 'no probes, no verdict');
});

test('bn-high-lr verdict: a diverged no-BN run counts as chance and supports the claim', () => {
  const v = verdict('bn-high-lr', [
    fake('plain_low_lr', { epochs: [{ valAccuracy: 0.9 }] }),
    fake('plain_high_lr', { state: 'failed', divergedAtStep: 3, error: 'The loss became NaN/Inf at step 3', epochs: [] }),
    fake('bn_high_lr', { epochs: [{ valAccuracy: 0.85 }] }),
  ]);
  assert.equal(v.effect.direction, 'supports');
  assert.match(v.text, /diverged \(NaN\/Inf at step 3\)/);
  const flat = verdict('bn-high-lr', [fake('plain_low_lr'), fake('plain_high_lr', { epochs: [{ valAccuracy: 0.9 }] }), fake('bn_high_lr', { epochs: [{ valAccuracy: 0.8 }] })]);
  assert.equal(flat.effect.direction, 'contradicts');
});

test('optimizers verdict ranks by validation accuracy and checks each against plain SGD', () => {
  const v = verdict('optimizers', [
    fake('sgd', { epochs: [{ trainLoss: 1.3, valAccuracy: 0.8 }, { trainLoss: 0.5, valAccuracy: 0.86 }] }),
    fake('momentum', { epochs: [{ trainLoss: 0.8, valAccuracy: 0.9 }, { trainLoss: 0.2, valAccuracy: 0.916 }] }),
    fake('adam', { epochs: [{ trainLoss: 1.0, valAccuracy: 0.88 }, { trainLoss: 0.28, valAccuracy: 0.918 }] }),
    fake('adamw', { epochs: [{ trainLoss: 1.0, valAccuracy: 0.88 }, { trainLoss: 0.28, valAccuracy: 0.92 }] }),
  ]);
  assert.equal(v.effect.direction, 'supports');
  assert.deepEqual(v.measurements.ranking, ['adamw', 'adam', 'momentum', 'sgd']);
  assert.match(v.text, /AdamW vs Adam: \+0\.2 pts, inside the ±3\.5-point band that 500 validation images can resolve/);
});

test('overfitting verdict: each regularizer must narrow a gap measurably', () => {
  const none = fake('none', { epochs: [{ trainAccuracy: 1, valAccuracy: 0.82, trainLoss: 0.001, valLoss: 0.7 }] });
  const v = verdict('overfitting', [
    none,
    fake('dropout', { epochs: [{ trainAccuracy: 0.95, valAccuracy: 0.84, trainLoss: 0.1, valLoss: 0.75 }] }),
    fake('l2', { epochs: [{ trainAccuracy: 1, valAccuracy: 0.82, trainLoss: 0.01, valLoss: 0.5 }] }),
    fake('augment', { epochs: [{ trainAccuracy: 0.9, valAccuracy: 0.81, trainLoss: 0.6, valLoss: 0.8 }] }),
  ]);
  assert.equal(v.effect.direction, 'supports');
  assert.match(v.text, /dropout: accuracy gap narrower, loss gap not/);
  assert.match(v.text, /l2: loss gap narrower, accuracy gap not/);
  const same = verdict('overfitting', [none, fake('dropout', { epochs: [{ trainAccuracy: 1, valAccuracy: 0.83, trainLoss: 0.001, valLoss: 0.69 }] })]);
  assert.equal(same.effect.direction, 'inconclusive', 'a change within the noise is not an effect');
  assert.match(same.text, /dropout: no measurable change/);
  assert.equal(verdict('overfitting', [none]).effect.direction, 'inconclusive', 'nothing to compare');
  assert.equal(verdict('optimizers', [fake('sgd')]).effect.direction, 'inconclusive', 'nothing to compare');
  const worse = verdict('overfitting', [none, fake('dropout', { epochs: [{ trainAccuracy: 1, valAccuracy: 0.7, trainLoss: 0.001, valLoss: 1.2 }] })]);
  assert.equal(worse.effect.direction, 'contradicts');
});

test('initialization verdict: He ≈ 1, Xavier shrinks, small normal vanishes', () => {
  const ratios = (r: number) => [actProbe(Array.from({ length: 10 }, (_, i) => r ** (i / 9)))];
  const v = verdict('initialization', [fake('he', { probes: ratios(0.8) }), fake('xavier', { probes: ratios(0.04) }), fake('small', { probes: ratios(1e-11) })]);
  assert.equal(v.effect.direction, 'supports');
  assert.ok(Math.abs(v.perVariant.xavier.activation_std_ratio! - 0.04) < 1e-9);
  assert.match(v.text, /×0\.7 per layer/);
  assert.equal(verdict('initialization', [fake('he', { probes: ratios(0.01) }), fake('xavier', { probes: ratios(0.5) }), fake('small', { probes: ratios(1e-11) })]).effect.direction, 'contradicts');
});

test('label-smoothing verdict compares mean confidence and the share of ≥ 99% predictions', () => {
  const v = verdict('label-smoothing', [
    fake('off', { confidence: [...confidences(60, 0.995, 0.97), ...confidences(40, 0.8, 0.8)] }),
    fake('on', { confidence: confidences(100, 0.85, 0.9) }),
  ]);
  assert.equal(v.effect.direction, 'supports');
  assert.match(v.text, /60\.0% of predictions ≥ 99%/);
  assert.deepEqual((v.measurements.histograms as Record<string, number[]>).on[8], 100);
  assert.equal(verdict('label-smoothing', [fake('off', { confidence: confidences(10, 0.5, 0.5) }), fake('on', { confidence: confidences(10, 0.9, 0.9) })]).effect.direction, 'contradicts');
  assert.equal(verdict('label-smoothing', [fake('off'), fake('on')]).effect.direction, 'inconclusive');
});

test('warmup-cosine and separable-conv verdicts', () => {
  const w = verdict('warmup-cosine', [fake('constant', { epochs: [{ valLoss: 0.5 }] }), fake('warmup_cosine', { epochs: [{ valLoss: 0.25 }] })]);
  assert.equal(w.effect.direction, 'supports');
  const diverged = verdict('warmup-cosine', [fake('constant', { state: 'failed', divergedAtStep: 5, epochs: [] }), fake('warmup_cosine', { epochs: [{ valLoss: 0.3 }] })]);
  assert.equal(diverged.effect.direction, 'supports');
  const s = verdict('separable-conv', [fake('standard', { epochs: [{ valAccuracy: 0.45 }] }), fake('separable', { epochs: [{ valAccuracy: 0.4 }] })]);
  assert.equal(s.effect.direction, 'supports');
  // Counted from the real graphs: convs 2 and 3 (32→64, 64→128, 3×3, no bias before BN).
  assert.equal(s.perVariant.standard.conv_params, 9 * 32 * 64 + 9 * 64 * 128);
  assert.equal(s.perVariant.separable.conv_params, 9 * 32 + 32 * 64 + 9 * 64 + 64 * 128);
  assert.match(s.text, /×0\.12/);
});

test('receptive field: the notes’ recurrence, their worked example, pooling and dilation', () => {
  assert.equal(receptiveFieldOf([{ kernel: 7, stride: 1 }]), 7);
  assert.deepEqual([1, 2, 3].map((n) => receptiveFieldOf(Array(n).fill({ kernel: 5, stride: 1 }))), [5, 9, 13]);
  assert.equal(receptiveFieldOf([{ kernel: 3, stride: 1 }, { kernel: 2, stride: 2 }, { kernel: 3, stride: 1 }, { kernel: 3, stride: 1 }]), 12);
  assert.equal(receptiveFieldOf([{ kernel: 3, stride: 1, dilation: 2 }]), 5);
  const g = convStack('t', [32, 32, 3], [{ kind: 'conv', kernel: 3 }, { kind: 'maxpool', kernel: 2 }, { kind: 'conv', kernel: 3 }]);
  assert.deepEqual(receptiveFields(g).map((l) => [l.rf, l.jump]), [[3, 1], [4, 2], [8, 2]]);
  const v = verdict('receptive-field', doc('receptive-field').variants.map((x) => fake(x.id, { epochs: [] })));
  assert.equal(v.effect.direction, 'supports');
  assert.equal(v.perVariant.stack3x3.receptive_field, 7);
  assert.equal(v.perVariant.single7x7.receptive_field, 7);
  assert.equal(v.perVariant.stack5x5.receptive_field, 13);
  assert.equal(v.perVariant.dilated.receptive_field, 15);
  assert.equal(v.perVariant.stack3x3.kernel_params, 3 * (9 * 16 * 16 + 16));
  assert.equal(v.perVariant.single7x7.kernel_params, 49 * 16 * 16 + 16);
  const drawing = doc('receptive-field').drawing!(ctxOf(doc('receptive-field')));
  const last = drawing.squares.filter((s) => s.variant === 'stack3x3').pop()!;
  assert.deepEqual([last.rf, last.x, last.y, last.size], [7, 13, 13, 7]);
  const big = drawing.squares.find((s) => s.variant === 'dilated' && s.rf === 15)!;
  assert.deepEqual(big.clipped, { x: 9, y: 9, w: 15, h: 15 });
});

test('user experiments: schema, at least two distinct runs, ranking verdict with an optional expectation', () => {
  const doc = makeUserExperiment({ title: 'My Adam vs SGD!', runs: [{ runId: 'r-a', name: 'Adam' }, { runId: 'r-b', name: 'SGD' }], metric: 'val_accuracy', expectedBest: 'r-a', now: new Date(0) });
  assert.equal(doc.id, 'my-adam-vs-sgd');
  assert.equal(doc.createdAt, '1970-01-01T00:00:00.000Z');
  assert.ok(userExperimentSchema.safeParse(doc).success);
  assert.throws(() => makeUserExperiment({ title: 'x', runs: [{ runId: 'r-a' }] }), /at least two runs/);
  assert.throws(() => makeUserExperiment({ title: 'x', runs: [{ runId: 'r-a' }, { runId: 'r-a' }] }), /once/);
  assert.throws(() => makeUserExperiment({ title: 'x', runs: [{ runId: 'a' }, { runId: 'b' }], metric: 'nope' }));
  assert.throws(() => makeUserExperiment({ title: 'x', runs: [{ runId: 'a' }, { runId: 'b' }], expectedBest: 'c' }), /one of the runs/);
  const results = [fake('r-a', { name: 'Adam', runId: 'r-a', epochs: [{ valAccuracy: 0.92 }] }), fake('r-b', { name: 'SGD', runId: 'r-b', epochs: [{ valAccuracy: 0.86 }] })];
  const v = userExperimentVerdict(doc, results);
  assert.equal(v.effect.direction, 'supports');
  assert.match(v.text, /Adam 92\.0%, SGD 86\.0%/);
  assert.match(v.text, /Adam is best, 6\.0 points above SGD/);
  assert.equal(userExperimentVerdict({ ...doc, expectedBest: 'r-b' }, results).effect.direction, 'contradicts');
  const loss = userExperimentVerdict({ ...doc, metric: 'val_loss', expectedBest: undefined }, [fake('a', { epochs: [{ valLoss: 0.3 }] }), fake('b', { epochs: [{ valLoss: 0.2 }] })]);
  assert.deepEqual(loss.measurements.ranking, ['b', 'a']);
  assert.equal(loss.effect.direction, 'inconclusive');
});
