import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridPoints, gridValues, Rng, suggest, tpeSuggest, randomParams, type Observation, type SearchSpace, type StrategyName, type TrialParams } from '../../../src/shared/sweeps';

// A synthetic objective with a known optimum: lr = 1e-3, width = 40, momentum = 0.3, optimizer adam (score 0).
const space: SearchSpace = {
  lr: { logUniform: [1e-6, 1] },
  width: { intUniform: [8, 64] },
  momentum: { uniform: [0, 1] },
  optimizer: { choice: ['sgd', 'adam', 'rmsprop'] },
};
const objective = (p: TrialParams): number =>
  -((Math.log10(p.lr as number) + 3) ** 2) / 9 - (((p.width as number) - 40) / 56) ** 2 - ((p.momentum as number) - 0.3) ** 2 - (p.optimizer === 'adam' ? 0 : 0.3);

function runSweep(strategy: StrategyName, seed: number, trials: number): { best: number; history: Observation[] } {
  const history: Observation[] = [];
  for (let i = 0; i < trials; i++) {
    const params = suggest(strategy, space, { index: i, trials, history, rng: new Rng(seed * 1000 + i) });
    if (!params) break;
    history.push({ params, score: objective(params) });
  }
  return { best: Math.max(...history.map((h) => h.score)), history };
}

test('TPE beats random search on average over 20 seeds (40 trials each), and gets near the optimum', () => {
  const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
  const tpe = seeds.map((s) => runSweep('tpe', s, 40).best);
  const rnd = seeds.map((s) => runSweep('random', s, 40).best);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(tpe) > mean(rnd), `TPE mean best ${mean(tpe).toFixed(4)} should beat random ${mean(rnd).toFixed(4)}`);
  assert.ok(tpe.filter((t, i) => t > rnd[i]).length >= 12, `TPE wins on ${tpe.filter((t, i) => t > rnd[i]).length}/20 seeds`);
  // The optimum is 0; TPE's typical best after 40 trials is within 0.05 of it.
  assert.ok(mean(tpe) > -0.05, `TPE mean best ${mean(tpe)}`);
});

test('TPE concentrates later trials near the good region (learning rate around 1e-3)', () => {
  const { history } = runSweep('tpe', 7, 40);
  const lateLr = history.slice(20).map((h) => Math.log10(h.params.lr as number));
  const near = lateLr.filter((x) => Math.abs(x + 3) < 1).length;
  assert.ok(near >= 12, `${near}/20 late trials within a decade of 1e-3`);
});

test('TPE and random values stay inside their domains and have the domain types', () => {
  const rng = new Rng(3);
  const history: Observation[] = [];
  for (let i = 0; i < 30; i++) {
    const p = i < 15 ? randomParams(space, rng) : tpeSuggest(space, history, rng, { startup: 10 });
    assert.ok((p.lr as number) >= 1e-6 && (p.lr as number) <= 1);
    assert.ok(Number.isInteger(p.width) && (p.width as number) >= 8 && (p.width as number) <= 64);
    assert.ok((p.momentum as number) >= 0 && (p.momentum as number) <= 1);
    assert.ok(['sgd', 'adam', 'rmsprop'].includes(p.optimizer as string));
    history.push({ params: p, score: objective(p) });
  }
});

test('the same seed gives the same trials (resumable, reproducible)', () => {
  assert.deepEqual(runSweep('tpe', 5, 15).history, runSweep('tpe', 5, 15).history);
  assert.deepEqual(runSweep('random', 5, 5).history, runSweep('random', 5, 5).history);
});

test('grid covers every point of the grid when the budget allows, each once', () => {
  const s: SearchSpace = { batchSize: { choice: [32, 64, 128] }, optimizer: { choice: ['sgd', 'adam'] }, lr: { logUniform: [1e-4, 1e-2] } };
  const points = gridPoints(s, 18);
  assert.equal(points.length, 18); // 3 × 2 × 3 (three learning rates reach the budget)
  const keys = new Set(points.map((p) => JSON.stringify(p)));
  assert.equal(keys.size, 18);
  for (const b of [32, 64, 128]) for (const o of ['sgd', 'adam']) for (const lr of [1e-4, 1e-3, 1e-2]) assert.ok(keys.has(JSON.stringify({ batchSize: b, optimizer: o, lr })), `${b} ${o} ${lr}`);
  // A budget beyond a finite grid: every point once, then the grid says it is done.
  const choices: SearchSpace = { a: { choice: [1, 2, 3] }, b: { choice: ['x', 'y'] } };
  const all = Array.from({ length: 10 }, (_, i) => suggest('grid', choices, { index: i, trials: 10, history: [], rng: new Rng(i) }));
  assert.equal(all.filter(Boolean).length, 6, 'grid stops when its points are done');
  assert.equal(new Set(all.filter(Boolean).map((p) => JSON.stringify(p))).size, 6);
  // Grid values of ranges.
  assert.deepEqual(gridValues({ intUniform: [1, 3] }, 5), [1, 2, 3]);
  assert.deepEqual(gridValues({ uniform: [0, 1] }, 3), [0, 0.5, 1]);
  assert.deepEqual(gridValues({ logUniform: [1e-4, 1] }, 5), [1e-4, 1e-3, 1e-2, 0.1, 1]);
});

test('grid with a small budget takes 2 points per range', () => {
  assert.equal(gridPoints({ lr: { logUniform: [1e-4, 1e-1] }, wd: { uniform: [0, 0.1] } }, 3).length, 4);
});
