import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runGraphBench } from '../../../bench/graph-bench';

// Timing targets (< 5 ms / < 16 ms median) are checked by running the bench (`npx tsx bench/graph-bench.ts`)
// on a quiet machine, not here: CI timings are too noisy. This only checks the bench runs on the right graphs.
it('graph bench analyses ResNet-50 and a ~500-node ResNet-152', () => {
  const [r50, r152] = runGraphBench(3);
  assert.equal(r50.nodes, 95);
  assert.equal(r50.expandedNodes, 175);
  assert.ok(r152.nodes >= 500, `${r152.nodes} nodes`);
  for (const c of [r50, r152]) assert.ok(c.medianMs > 0 && c.minMs <= c.medianMs && c.medianMs <= c.maxMs);
});
