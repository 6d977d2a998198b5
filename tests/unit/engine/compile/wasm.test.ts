import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initWasmBackend } from '../../../../src/main/engine/backend/wasm';
import { fallbackOpsUsed, resetFallbackOps } from '../../../../src/main/engine/backend/wasmKernels/cpuFallback';
import { compile } from '../../../../src/main/engine/compile/compile';
import { BLOCKS } from '../../../../src/shared/blocks';
import { CASES } from '../../blocks/contracts';
import { caseGraph, caseName } from './cases';
import { fixedRandom, gradients, predictAll } from './harness';

/**
 * Every block case trains on the wasm backend (with our kernels) without the slow cpu-copy safety net, and
 * its inference output agrees with the cpu backend.
 */

let wasmError: string | undefined;
before(async () => {
  try {
    await initWasmBackend();
  } catch (err) {
    wasmError = (err as Error).message;
  }
});

describe('blocks on wasm', () => {
  for (const def of BLOCKS) {
    (CASES[def.type] ?? [{}]).forEach((c, i) => {
      test(`${def.type}: ${caseName(c, i)}`, async (t) => {
        if (wasmError) return t.skip(`wasm unavailable: ${wasmError}`);
        const { graph } = caseGraph(def.type, c);
        const { model } = compile(graph, { seed: 7 });
        const x = fixedRandom([3, ...graph.meta.input.shape], 11);
        try {
          await tf.setBackend('cpu');
          const onCpu = await Promise.all(predictAll(model, x).map(async (o) => Array.from(await o.data())));
          await tf.setBackend('wasm');
          const onWasm = await Promise.all(predictAll(model, x).map(async (o) => Array.from(await o.data())));
          onCpu.forEach((a, k) => {
            const diff = a.reduce((m, v, j) => Math.max(m, Math.abs(v - onWasm[k][j]) / Math.max(1, Math.abs(v))), 0);
            assert.ok(diff < 1e-3, `output ${k}: wasm and cpu differ by ${diff}`);
          });

          resetFallbackOps();
          const grads = gradients(model, x);
          const bad = [...grads].filter(([, g]) => !g.dataSync().every(Number.isFinite)).map(([n]) => n);
          tf.dispose([...grads.values()]);
          assert.deepEqual(bad, [], 'finite gradients');
          assert.deepEqual(fallbackOpsUsed(), [], 'ops that fell back to the cpu copy');
        } finally {
          model.dispose();
          x.dispose();
        }
      });
    });
  }
});
