import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globalAvgPool, globalMaxPool } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('pool/global_avgpool and pool/global_maxpool', () => {
  it('7×7×512 → 512 (or 1×1×512 with keepDims), H·W·C ops', () => {
    for (const def of [globalAvgPool, globalMaxPool]) {
      const r = run(def, [[null, 7, 7, 512]]);
      assert.deepEqual(r.shape, [null, 512]);
      assert.deepEqual(r.cost, { params: 0, macs: 0, ops: 25_088 });
      assert.deepEqual(run(def, [[null, 7, 7, 512]], { keepDims: true }).shape, [null, 1, 1, 512]);
    }
  });
  it('needs a feature map', () => {
    throwsShape(globalAvgPool, [[null, 512]], {}, 'Global Average Pool expects a H×W×C feature map input, got 512');
  });
});
