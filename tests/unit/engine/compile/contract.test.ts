import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ENGINE_BLOCKS } from '../../../../src/main/engine/blocks';
import { BLOCKS, blockByType } from '../../../../src/shared/blocks';
import { BLOCK_PARAMS, CASES } from '../../blocks/contracts';
import { checkBlockContract } from './blockContract';
import { caseName } from './cases';

/** The block contract (STYLE §4, blockContract.ts) for every block in BLOCKS, over its cases (src/blocks/<unit>/contract.ts). */

before(async () => {
  await tf.setBackend('cpu');
});

test('every block type has an engine twin', () => {
  const missing = BLOCKS.map((b) => b.type).filter((t) => !ENGINE_BLOCKS[t]);
  assert.deepEqual(missing, [], `missing engine twins: ${missing.join(', ')}`);
  const stray = Object.keys(ENGINE_BLOCKS).filter((t) => !blockByType(t));
  assert.deepEqual(stray, [], `twins without a block definition: ${stray.join(', ')}`);
});

// A block gaining a param fails here, so its twin gets updated (and a case added) instead of silently ignoring it.
test('every block param is handled by its twin', () => {
  const changed = BLOCKS.filter((b) => JSON.stringify(Object.keys(b.params).sort()) !== JSON.stringify([...(BLOCK_PARAMS[b.type] ?? ['<no twin entry>'])].sort()));
  assert.deepEqual(changed.map((b) => `${b.type}: ${Object.keys(b.params).join(', ')}`), []);
});

for (const def of BLOCKS) {
  describe(`contract: ${def.type}`, () => {
    (CASES[def.type] ?? [{}]).forEach((c, i) => {
      test(caseName(c, i), () => checkBlockContract(def.type, c));
    });
  });
}
