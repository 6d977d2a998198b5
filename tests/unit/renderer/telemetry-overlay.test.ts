import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder } from '../../../src/shared/graph/builder';
import type { GraphDoc } from '../../../src/shared/graph/types';
import { gradientHeat, networkKey } from '../../../src/renderer/telemetry/heat';
import { TelemetryStore } from '../../../src/renderer/telemetry/store';
import { syntheticStream } from './fixtures/syntheticTelemetry';

/** A chain of Dense+ReLU blocks whose ids match the synthetic probes (dense_1, relu_1, …). */
function mlp(units: number, layers = 3): GraphDoc {
  const b = new GraphBuilder({ name: 'mlp', input: [16] });
  let x = b.input();
  for (let i = 0; i < layers; i++) x = b.add('act/relu', {}, b.add('core/dense', { units }, x));
  b.add('head/classify', { classes: 4 }, x);
  return b.build();
}

test("a run's gradient colours show only on the network it trained", () => {
  const store = new TelemetryStore({ throttleMs: 0 });
  const trained = mlp(32);
  for (const e of syntheticStream({ runId: 'r1', steps: 40, probeEvery: 10, layers: 3, stepsPerEpoch: 20 })) store.ingest(e);
  store.setMeta('r1', { graph: trained });
  store.select('r1');
  const run = store.current()!;
  assert.ok(gradientHeat(run).size > 0, 'the run has gradient probes');

  store.setEditorDoc(trained);
  assert.equal(store.overlayFitsEditor(), true, 'the trained network itself');

  // The same network moved around and renamed: still the run's network.
  const moved: GraphDoc = { ...trained, meta: { ...trained.meta, name: 'renamed' }, nodes: trained.nodes.map((n) => ({ ...n, position: { x: n.position.x + 50, y: 0 }, label: `L ${n.id}` })) };
  store.setEditorDoc(moved);
  assert.equal(store.overlayFitsEditor(), true);

  // A newly loaded network with the same block ids and types (another width): not the run's graph.
  store.setEditorDoc(mlp(64));
  assert.equal(store.overlayFitsEditor(), false, 'another network with the same ids');
  store.setEditorDoc(mlp(32, 2));
  assert.equal(store.overlayFitsEditor(), false, 'fewer blocks');

  // Notified when the answer flips, so the canvas redraws without the colours.
  let notified = 0;
  store.subscribe(() => notified++);
  store.setEditorDoc(trained);
  assert.equal(notified, 1);

  // A run without a known graph never colours the editor.
  store.setMeta('r1', { graph: undefined });
  assert.equal(store.overlayFitsEditor(), false);
});

test('networkKey ignores positions, labels and param key order; sees params and wires', () => {
  const g = mlp(8);
  const reordered: GraphDoc = { ...g, nodes: g.nodes.map((n) => ({ ...n, params: Object.fromEntries(Object.entries(n.params).reverse()) })).reverse(), edges: [...g.edges].reverse() };
  assert.equal(networkKey(g), networkKey(reordered));
  const rewired: GraphDoc = { ...g, edges: g.edges.map((e, i) => (i === 1 ? { ...e, source: 'input' } : e)) };
  assert.notEqual(networkKey(g), networkKey(rewired));
  assert.equal(networkKey(undefined), undefined);
});
