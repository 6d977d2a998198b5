// The exported train.py trains with the blocks' learning-rate multipliers: one param group per (decay,
// multiplier), each at the scheduled rate × its multiplier at every step of the schedule; a ×0.1 block's SGD
// update is 0.1 × its update at ×1.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportFiles, writeExportFolder } from '../../../../src/main/engine/export';
import { compile } from '../../../../src/main/engine/compile/compile';
import { setFrozen } from '../../../../src/shared/graph/freeze';
import { setLrMultiplier } from '../../../../src/shared/graph/lrMultiplier';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { templateById } from '../../../../src/shared/templates';
import { TORCH_PYTHON as PYTHON } from './formats';

const work = mkdtempSync(join(tmpdir(), 'netsmith-trainpy-lr-'));
after(() => rmSync(work, { recursive: true, force: true }));
before(async () => {
  await tf.setBackend('cpu');
});

const idOf = (g: GraphDoc, label: string) => g.nodes.find((n) => n.label === label)!.id;

/** Python: the param groups of make_optimizer, then one SGD step of train.train with and without multipliers. */
const CHECK = (dir: string) => `
import copy, json, sys
import torch
sys.path.insert(0, ${JSON.stringify(dir)})
import train
torch.manual_seed(0)
m0 = train.load_model().train()
opt = train.make_optimizer(m0)
scale_of = {n: g['lr_scale'] for g in opt.param_groups for n, p in m0.named_parameters() if any(p is q for q in g['params'])}
groups = sorted([g['lr_scale'], g['weight_decay'], len(g['params'])] for g in opt.param_groups)
x = torch.rand(8, 1, 28, 28)
y = torch.randint(0, 10, (8,))
mults = dict(train.SETTINGS['lr_multipliers'])
def step(lr_mults):
    train.SETTINGS['lr_multipliers'] = lr_mults
    m = copy.deepcopy(m0)
    start = {n: p.detach().clone() for n, p in m.named_parameters()}
    train.train(m, x, y, epochs=1)
    return {n: p.detach() - start[n] for n, p in m.named_parameters()}
scaled, plain = step(mults), step({})
worst = {n: (scaled[n] - scale_of[n] * plain[n]).abs().max().item() / max(1e-30, plain[n].abs().max().item()) for n in plain}
# Four steps of the cosine schedule: every group at the scheduled rate × its multiplier at every step.
seen = []
plain_step = torch.optim.SGD.step
def recording_step(self, *a, **k):
    seen.append([[g['lr_scale'], g['lr']] for g in self.param_groups])
    return plain_step(self, *a, **k)
torch.optim.SGD.step = recording_step
train.SETTINGS['lr_multipliers'] = mults
train.train(copy.deepcopy(m0), torch.cat([x, x]), torch.cat([y, y]), epochs=2)
scheduled = [train.learning_rate_at(train.schedule_config(2), s, 4, 2) for s in range(4)]
print(json.dumps({'mults': mults, 'scale_of': scale_of, 'groups': groups, 'worst': worst, 'seen': seen, 'scheduled': scheduled}))
`;

describe('train.py with learning-rate multipliers (python3-torch)', { skip: PYTHON ? false : 'no python3 with torch' }, () => {
  test('one param group per multiplier, the schedule keeps the ratios; a ×0.1 block steps 0.1 × as far', { timeout: 300_000 }, async () => {
    let graph = templateById('lenet')!.build();
    graph = setLrMultiplier(graph, [idOf(graph, 'conv1')], 0.1);
    graph = setLrMultiplier(graph, [idOf(graph, 'fc1')], 3);
    // A frozen block's multiplier does not matter (it does not train).
    graph = setFrozen(setLrMultiplier(graph, [idOf(graph, 'conv2')], 5), [idOf(graph, 'conv2')], true);
    const { model } = compile(graph, { seed: 1 });
    const dir = join(work, 'export');
    try {
      await writeExportFolder(dir, await exportFiles('pytorch', graph, model, { epochs: 1, batchSize: 8, optimizer: { name: 'sgd', lr: 0.1 }, schedule: { name: 'cosine' } }));
    } finally {
      model.dispose();
    }
    assert.match(readFileSync(join(dir, 'train.py'), 'utf8'), /g\['lr'\] = lr \* g\['lr_scale'\]/);
    const out = execFileSync(PYTHON!, ['-c', CHECK(dir)], { encoding: 'utf8' }).trim().split('\n').pop()!;
    const r = JSON.parse(out) as { mults: Record<string, number>; scale_of: Record<string, number>; groups: number[][]; worst: Record<string, number>; seen: [number, number][][]; scheduled: number[] };
    assert.deepEqual(r.mults, { conv1: 0.1, fc1: 3 });
    assert.deepEqual<Record<string, number>>(r.scale_of, { 'conv1.weight': 0.1, 'conv1.bias': 0.1, 'conv2.weight': 1, 'conv2.bias': 1, 'fc1.weight': 3, 'fc1.bias': 3, 'fc2.weight': 1, 'fc2.bias': 1, 'fc3.weight': 1, 'fc3.bias': 1 });
    // (decay, multiplier) groups: weights and biases apart, at ×0.1, ×1 and ×3 (SGD's default decay is 0).
    assert.deepEqual(r.groups, [[0.1, 0, 1], [0.1, 0, 1], [1, 0, 3], [1, 0, 3], [3, 0, 1], [3, 0, 1]]);
    assert.equal(r.seen.length, 4);
    assert.ok(r.scheduled[3] < r.scheduled[0] * 0.9, `the cosine schedule decays: ${r.scheduled}`);
    r.seen.forEach((groups, step) => {
      for (const [scale, lr] of groups) assert.ok(Math.abs(lr - scale * r.scheduled[step]) <= 1e-12, `step ${step}: a ×${scale} group at ${lr}, expected ${scale} × ${r.scheduled[step]}`);
    });
    for (const [name, worst] of Object.entries(r.worst)) assert.ok(worst < 1e-5, `${name}: update differs from ${r.scale_of[name]} × its update at ×1 by ${worst} (relative)`);
  });
});
