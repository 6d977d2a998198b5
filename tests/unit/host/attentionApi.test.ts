import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LAB_METHODS } from '../../../src/shared/api';
import type { AttentionMaps } from '../../../src/shared/attention';
import { LabService } from '../../../src/main/service/labService';
import { createDisconnectedRunManager, type RunManager } from '../../../src/main/service/runManager';

const home = () => mkdtempSync(join(tmpdir(), 'netsmith-attn-api-'));
const maps: AttentionMaps = { grid: [1, 1], query: 'cls', layers: [], layerCount: 0, rollout: [[1]], image: 'data:image/png;base64,', checkpoint: 'epoch-1' };

test('attentionMaps is a LabApi method, delegated to the RunManager with validated arguments', async () => {
  assert.ok(LAB_METHODS.includes('attentionMaps'));
  const calls: unknown[] = [];
  const runs: RunManager = { ...createDisconnectedRunManager(), attentionMaps: async (a) => (calls.push(a), maps) };
  const lab = new LabService({ kind: 'browser', home: home(), runs });
  assert.deepEqual(await lab.attentionMaps({ id: 'r1', image: { sampleIndex: 3 }, layer: 1 }), maps);
  assert.deepEqual(calls, [{ id: 'r1', image: { sampleIndex: 3 }, layer: 1 }]);
  await assert.rejects(lab.attentionMaps({ id: 'r1', image: {} }), /either an image \(dataUrl\) or a validation sample index/);
  await assert.rejects(lab.attentionMaps({ id: 'r1', image: { dataUrl: 'data:image/png;base64,AA', sampleIndex: 0 } }), /either an image/);
  await assert.rejects(lab.attentionMaps({ id: 'r1', image: { sampleIndex: -1 } }));
  await lab.dispose();
});

test('without an engine, attentionMaps fails with no-engine', async () => {
  const lab = new LabService({ kind: 'browser', home: home() });
  await assert.rejects(lab.attentionMaps({ id: 'r1', image: { sampleIndex: 0 } }), (e: Error & { code?: string }) => e.code === 'no-engine');
  await lab.dispose();
});
