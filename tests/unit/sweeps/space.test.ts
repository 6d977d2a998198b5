import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTrial, checkSpace, correlationRatio, parseSpace, ranks, sensitivities, shouldPrune, spearman, DEFAULT_PRUNER, type SearchSpace } from '../../../src/shared/sweeps';
import { lenetMnist, cnnSmall } from '../../../src/shared/templates/lenet';

const lenet = lenetMnist.build();

test('the issue example parses and checks against LeNet', () => {
  const r = parseSpace('{"lr": {"logUniform": [1e-5, 1]}, "batchSize": {"choice": [32, 64, 128]}, "optimizer": {"choice": ["sgd", "adam"]}, "conv1.filters": {"intUniform": [8, 64]}}');
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(checkSpace(r.space, lenet), []);
});

test('bad space files get one clear line per problem', () => {
  const bad = (v: unknown) => {
    const r = parseSpace(v);
    assert.equal(r.ok, false);
    return (r as { errors: string[] }).errors.join('\n');
  };
  assert.match(bad('{"lr": '), /not valid JSON/);
  assert.match(bad('[1]'), /must be a JSON object/);
  assert.match(bad({}), /at least one parameter/);
  assert.match(bad({ lr: { logUniform: [0, 1] } }), /lr: logUniform: both ends must be above 0/);
  assert.match(bad({ lr: { uniform: [1, 0] } }), /lr: uniform: low must be below high/);
  assert.match(bad({ lr: { normal: [0, 1] } }), /lr: a domain is one of/);
  assert.match(bad({ w: { intUniform: [1.5, 3] } }), /whole numbers/);
  assert.match(bad({ o: { choice: [] } }), /at least one value/);
});

test('checkSpace names the valid blocks and parameters', () => {
  const errs = (s: SearchSpace) => checkSpace(s, lenet).join('\n');
  const unknownBlock = errs({ 'convX.filters': { intUniform: [8, 64] } });
  assert.match(unknownBlock, /convX\.filters: not a training setting \(lr, batchSize, optimizer/);
  assert.match(unknownBlock, /the blocks are .*conv1, .*conv2.*fc1/);
  assert.match(errs({ 'conv1.width': { intUniform: [8, 64] } }), /block 'conv1' has no parameter 'width'; its parameters are filters, kernel/);
  assert.match(errs({ 'conv1.filters': { uniform: [8, 64] } }), /conv1\.filters: a whole number; use intUniform or choice/);
  assert.match(errs({ 'conv1.filters': { intUniform: [0, 64] } }), /0 is below its minimum 1/);
  assert.match(errs({ optimizer: { choice: ['sgd', 'lion'] } }), /'lion' is not one of sgd, momentum/);
  assert.match(errs({ backend: { choice: ['wasm', 'cuda'] } }), /'cuda' is not one of auto/);
  assert.match(errs({ lr: { uniform: [-1, 1] } }), /lr: -1 must be above 0/);
  assert.match(errs({ dropout: { uniform: [0, 0.5] } }), /no Dropout block/);
  assert.match(errs({ batchSize: { choice: [32, 'big'] } }), /'big' is not a number/);
  assert.deepEqual(checkSpace({ dropout: { uniform: [0, 0.5] }, weightDecay: { logUniform: [1e-6, 1e-2] } }, cnnSmall.build()), []);
});

test('applyTrial sets the trial values on a copy of the graph and settings', () => {
  const base = { epochs: 1, optimizer: { name: 'adam', lr: 0.003 } };
  const { graph, config } = applyTrial(lenet, base, { lr: 0.01, batchSize: 128, optimizer: 'sgd', weightDecay: 1e-4, 'conv1.filters': 12, backend: 'wasm' });
  assert.deepEqual(config.optimizer, { name: 'sgd', lr: 0.01 });
  assert.deepEqual(config.regularization, { l2: 1e-4 });
  assert.equal(config.batchSize, 128);
  assert.equal(config.backend, 'wasm');
  assert.equal(graph.nodes.find((n) => n.label === 'conv1')!.params.filters, 12);
  assert.equal(lenet.nodes.find((n) => n.label === 'conv1')!.params.filters, 6, 'the base graph is unchanged');
  assert.equal(base.optimizer.lr, 0.003, 'the base settings are unchanged');
  const adamw = applyTrial(lenet, base, { optimizer: 'adamw', weightDecay: 0.05 }).config;
  assert.equal((adamw.optimizer as { weightDecay: number }).weightDecay, 0.05);
  const small = cnnSmall.build();
  const dropped = applyTrial(small, {}, { dropout: 0.2 }).graph;
  assert.ok(dropped.nodes.filter((n) => n.type === 'reg/dropout').every((n) => n.params.rate === 0.2));
});

test('the median rule prunes a clearly worse trial, keeps good ones, waits for enough peers', () => {
  const others = [
    [0.5, 0.7, 0.8],
    [0.55, 0.72, 0.81],
    [0.6, 0.75, 0.85],
  ];
  assert.equal(shouldPrune([0.1, 0.15], others, DEFAULT_PRUNER).prune, true);
  assert.equal(shouldPrune([0.1, 0.15], others, DEFAULT_PRUNER).median, 0.72);
  assert.equal(shouldPrune([0.6, 0.8], others, DEFAULT_PRUNER).prune, false);
  assert.equal(shouldPrune([0.1], others.slice(0, 2), DEFAULT_PRUNER).prune, false, 'fewer than 3 peers');
  assert.equal(shouldPrune([0.1, 0.1], others, { ...DEFAULT_PRUNER, warmupEpochs: 3 }).prune, false, 'in warm-up');
  assert.equal(shouldPrune([0.1, 0.1], others, { ...DEFAULT_PRUNER, kind: 'none' }).prune, false);
  // The best so far counts (a noisy dip after a good epoch is not pruned).
  assert.equal(shouldPrune([0.8, 0.2], others, DEFAULT_PRUNER).prune, false);
});

test('ranks, Spearman and the correlation ratio match hand-computed values', () => {
  assert.deepEqual(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  // scipy.stats.spearmanr([1,2,3,4,5],[2,1,4,3,5]) = 0.8
  assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-12);
  assert.equal(correlationRatio(['a', 'a', 'b', 'b'], [1, 1, 2, 2]), 1);
  assert.equal(correlationRatio(['a', 'b', 'a', 'b'], [1, 1, 2, 2]), 0);
  const s = sensitivities({ lr: { logUniform: [1e-4, 1] }, opt: { choice: ['sgd', 'adam'] }, noise: { uniform: [0, 1] } }, [
    { params: { lr: 1e-4, opt: 'sgd', noise: 0.3 }, value: 0.1 },
    { params: { lr: 1e-3, opt: 'adam', noise: 0.9 }, value: 0.2 },
    { params: { lr: 1e-2, opt: 'sgd', noise: 0.1 }, value: 0.3 },
    { params: { lr: 1e-1, opt: 'adam', noise: 0.5 }, value: 0.4 },
  ]);
  assert.equal(s[0].method, 'spearman');
  assert.equal(s[0].value, 1);
  assert.equal(s[1].method, 'eta');
  assert.ok(s[1].strength < 0.5);
});
