import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LAYOUT, isTooTall, layeredLayout, wrappedLayout } from '../../../src/shared/graph/layout';
import { templateById } from '../../../src/shared/templates';

const extent = (m: Map<string, { x: number; y: number }>) => {
  const xs = [...m.values()].map((p) => p.x);
  const ys = [...m.values()].map((p) => p.y);
  return { w: Math.max(...xs) - Math.min(...xs) + LAYOUT.colGap, h: Math.max(...ys) - Math.min(...ys) + LAYOUT.rowGap };
};

test('a deep chain (ResNet-50) is folded into columns close to the screen aspect; edges go down or to the next column', () => {
  const g = templateById('resnet50')!.build();
  const tall = layeredLayout(g.nodes, g.edges);
  assert.ok(isTooTall(tall.values()), 'the one-column layout is a sliver');
  const base = extent(tall);
  assert.ok(base.h / base.w > 15, `one column: ${base.w}×${base.h}`);
  const wrapped = wrappedLayout(g.nodes, g.edges);
  const e = extent(wrapped);
  const ratio = e.w / e.h;
  assert.ok(ratio > 0.8 && ratio < 3, `wrapped ${e.w}×${e.h}`);
  assert.ok(!isTooTall(wrapped.values()));
  assert.equal(wrapped.size, g.nodes.length);
  // No two nodes on one spot.
  assert.equal(new Set([...wrapped.values()].map((p) => `${p.x},${p.y}`)).size, g.nodes.length);
  // Every connection goes down within a column, or from one column to a later one (reading order is kept).
  let crossings = 0;
  for (const ed of g.edges) {
    const a = wrapped.get(ed.source)!;
    const b = wrapped.get(ed.target)!;
    if (b.y > a.y) continue; // down the same or a later column
    assert.ok(b.x > a.x, `edge ${ed.source}→${ed.target} goes up without moving right`);
    crossings++;
  }
  // Breaks fall between residual blocks: only the main path crosses between columns.
  const columns = new Set([...wrapped.values()].map((p) => p.x)).size;
  assert.ok(crossings >= 1 && crossings <= 6, `${crossings} cross-column edges over ${columns} x positions`);
});

test('shallow networks keep the one-column layout', () => {
  for (const id of ['lenet_mnist', 'vit_b16', 'cnn_small']) {
    const g = templateById(id)!.build();
    assert.deepEqual(wrappedLayout(g.nodes, g.edges), layeredLayout(g.nodes, g.edges), id);
  }
});
