import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError } from '../../../../src/shared/api';
import { GraphBuilder } from '../../../../src/shared/graph/builder';
import { RunRegistry } from '../../../../src/main/service/runs/registry';

test('the service refuses to start a classifier whose output is not a vector, with the fix, and starts no run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-refuse-'));
  const reg = new RunRegistry(dir);
  const b = new GraphBuilder({ name: 'bad', input: [28, 28, 1] });
  b.add('core/dense', { units: 10 }, b.input(), { id: 'dense_1' });
  await assert.rejects(reg.startRun({ project: JSON.stringify(b.build()), dataset: 'mnist', config: { epochs: 1 } }), (err: unknown) => {
    assert.ok(err instanceof LabError);
    assert.equal(err.code, 'invalid-graph');
    assert.match(err.message, /Add Flatten or Global Average Pool before 'dense_1': .*'dense_1' outputs 28×28×10/);
    return true;
  });
  assert.deepEqual(readdirSync(dir), [], 'no run folder was made');
});
