import assert from 'node:assert/strict';
import { test } from 'node:test';
import { onTrainRecommendation, recommendTraining } from '../../../src/renderer/core/trainHints';
import { templateById } from '../../../src/shared/templates';

// The Train panel's draft store subscribes with onTrainRecommendation (src/renderer/train/draft.ts); the e2e
// test tests/e2e/detection.test.ts checks that loading YOLO-nano sets the panel's fields.
test("a template's recommended settings wait for the Train panel's draft, then reach every listener", () => {
  const nano = templateById('yolo_nano')!.recommended!;
  assert.deepEqual(nano, { dataset: 'shapes-det', config: { epochs: 2, batchSize: 16, optimizer: { name: 'adam', lr: 0.003 } } });
  // Sent before anyone listens (the Train panel never opened): kept, and only the latest.
  recommendTraining(templateById('lenet_mnist')!.recommended!);
  recommendTraining(nano);
  const seen: string[] = [];
  const off = onTrainRecommendation((r) => seen.push(r.dataset));
  assert.deepEqual(seen, ['shapes-det']);
  recommendTraining({ dataset: 'fashion-mnist', config: {} });
  assert.deepEqual(seen, ['shapes-det', 'fashion-mnist']);
  off();
  // Delivered once: a new listener does not get the old ones again.
  const late: string[] = [];
  onTrainRecommendation((r) => late.push(r.dataset))();
  assert.deepEqual(late, []);
});
