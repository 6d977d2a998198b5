import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forgettingOf } from '../../../../src/shared/experiments/catalog/forgetting';
import { runStudy } from './run';

test('catastrophic-forgetting (seed 42, 750 task-B images, 2 epochs): fine-tuning forgets task A most; freezing keeps it exactly, replay keeps more', async () => {
  const r = await runStudy('catastrophic-forgetting', { trainLimit: 750, epochs: 2, valLimit: 300 }, 42);
  const s = Object.fromEntries(r.variants.map((v) => [v.variant, forgettingOf(v)!]));
  const drop = (id: string): number => s[id].taskABefore - s[id].taskAAfter;
  assert.ok(s.finetune.taskABefore > 0.9, `task A before ${s.finetune.taskABefore}`);
  assert.ok(drop('finetune') > 0.05, `fine-tune drop ${drop('finetune')}`);
  assert.equal(s.frozen.taskAAfter, s.frozen.taskABefore, 'a frozen backbone (BN in eval mode) leaves head A’s outputs unchanged');
  assert.ok(drop('replay') < drop('finetune'), `replay drop ${drop('replay')} vs fine-tune ${drop('finetune')}`);
  assert.ok(s.replay.replayImages > 0 && s.finetune.replayImages === 0);
  assert.ok(s.finetune.taskB > 0.85 && s.replay.taskB > 0.85, `task B ${s.finetune.taskB}, ${s.replay.taskB}`);
  assert.equal(r.verdict.effect?.direction, 'supports');
});
