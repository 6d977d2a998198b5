import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RepeatedWarnings } from '../../../../src/main/engine/torch/repeatedWarnings';

test('a repeated PyTorch C++ warning reaches the log once (any rank, any time stamp), then a count', () => {
  const r = new RepeatedWarnings();
  const lines = [
    '[rank0]:[W1204 05:28:21.197403829 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.',
    '[rank1]:[W1204 05:28:21.210417356 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.',
    '[W1204 05:28:22.000000001 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.',
    '[W1204 05:28:22.000000002 Other.cpp:9] another warning',
    'Traceback (most recent call last):',
    'Traceback (most recent call last):',
  ];
  assert.deepEqual(lines.map((l) => r.admit(l)), [true, false, false, true, true, true]);
  assert.equal(r.summary(), '(2 repeats of the PyTorch warnings above not shown)');
  assert.equal(new RepeatedWarnings().summary(), undefined);
});
