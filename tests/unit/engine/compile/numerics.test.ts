import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { compile } from '../../../../src/main/engine/compile/compile';
import { SUFFIX_SEPARATOR } from '../../../../src/main/engine/compile/naming';
import { GraphBuilder } from '../../../../src/shared/graph/builder';

/** Engine twins against PyTorch: outputs pinned by tests/fixtures/engine/gen_engine_reference.py (torch 1.13). */

interface Arr {
  shape: number[];
  data: number[];
}
interface RefCase {
  name: string;
  block: { type: string; params: Record<string, unknown> };
  input: number[];
  tokens: boolean;
  training: boolean;
  weights: Record<string, Arr>;
  x: Arr;
  y: Arr;
  after?: Record<string, Arr>;
}

const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/engine/engine_reference.json', import.meta.url), 'utf8')) as { cases: RefCase[] };
const TOLERANCE = 1e-4;

const tensor = (a: Arr) => tf.tensor(a.data, a.shape);

/** `<layer suffix or main>/<weight name>`, the key the fixture uses. */
function weightKey(layerName: string, weightName: string): string {
  const suffix = layerName.split(SUFFIX_SEPARATOR)[1] ?? 'main';
  return `${suffix}/${weightName.split('/').pop()}`;
}

async function maxDiff(actual: tf.Tensor, expected: Arr): Promise<number> {
  assert.deepEqual(actual.shape, expected.shape);
  const a = await actual.data();
  return expected.data.reduce((m, v, i) => Math.max(m, Math.abs(v - a[i]) / Math.max(1, Math.abs(v))), 0);
}

before(async () => {
  await tf.setBackend('cpu');
});

describe('engine twins match PyTorch', () => {
  for (const c of fixture.cases) {
    test(c.name, async () => {
      const b = new GraphBuilder({ name: 'numerics', input: c.input });
      let x = b.input();
      if (c.tokens) x = b.add('reshape/reshape', { shape: c.input.slice(0, 2) }, x);
      const node = b.add(c.block.type, c.block.params, x);
      const { model, layerOf } = compile(b.build());
      try {
        const used = new Set<string>();
        for (const name of layerOf.get(node.node)!) {
          const layer = model.getLayer(name);
          if (layer.weights.length === 0) continue;
          layer.setWeights(
            layer.weights.map((w) => {
              const key = weightKey(name, w.originalName);
              assert.ok(c.weights[key], `the fixture has no weight '${key}'`);
              used.add(key);
              return tensor(c.weights[key]);
            }),
          );
        }
        assert.deepEqual([...used].sort(), Object.keys(c.weights).sort(), 'every fixture weight is used');

        const y = model.apply(tensor(c.x), { training: c.training }) as tf.Tensor;
        const diff = await maxDiff(y, c.y);
        assert.ok(diff <= TOLERANCE, `max difference ${diff}`);

        for (const [key, expected] of Object.entries(c.after ?? {})) {
          const w = model.weights.find((v) => weightKey(v.originalName.split('/')[0], v.originalName) === key)!;
          const d = await maxDiff(w.read(), expected);
          assert.ok(d <= TOLERANCE, `${key} after the call differs by ${d}`);
        }
      } finally {
        model.dispose();
      }
    });
  }
});
