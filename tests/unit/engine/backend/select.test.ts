// Backend selection reports what loaded, what did not and why.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { AUTO_ORDER, fallbackOps, selectBackend } from '../../../../src/main/engine/backend/select';

const installed = (pkg: string) => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};

describe('selectBackend', () => {
  it('auto: takes the first backend that loads, with a reason for each one before it', async () => {
    const r = await selectBackend();
    const last = r.tried[r.tried.length - 1];
    assert.equal(last.name, r.name);
    assert.equal(last.ok, true);
    for (const t of r.tried.slice(0, -1)) {
      assert.equal(t.ok, false);
      assert.ok((t.reason ?? '').length > 0, `${t.name} has a reason`);
    }
    assert.deepEqual(r.tried.map((t) => t.name), AUTO_ORDER.slice(0, r.tried.length));
    if (!installed('@tensorflow/tfjs-node')) {
      assert.match(r.tried.find((t) => t.name === 'tensorflow')?.reason ?? '', /not installed .*libtensorflow/);
    }
  });

  it('wasm: loads with our kernels and lists the ops left to the cpu-copy safety net', async () => {
    const r = await selectBackend({ prefer: 'wasm' });
    assert.equal(r.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.equal(r.device, 'cpu');
    assert.ok(r.fallbackOps.includes('Einsum'));
    assert.ok(!r.fallbackOps.includes('Conv2DBackpropFilter'));
    assert.ok(Array.isArray(fallbackOps()));
  });

  it('an explicit choice that loads is used', async () => {
    const r = await selectBackend({ prefer: 'cpu' });
    assert.equal(r.name, 'cpu');
    assert.equal(tf.getBackend(), 'cpu');
    assert.deepEqual(r.tried, [{ name: 'cpu', ok: true }]);
  });
});
