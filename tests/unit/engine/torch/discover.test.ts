// Python discovery: fake interpreters (shell scripts printing what discover.py would) for every outcome, and
// the real Debian torch at /usr/bin/python3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deviceLabel, discoverTorchUncached, pickDevice, pythonCandidates, torchVersionOf } from '../../../../src/main/engine/torch/discover';

const dir = mkdtempSync(join(tmpdir(), 'netsmith-fakepy-'));
function fake(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}
const json = (o: object): string => `echo '${JSON.stringify(o)}'`;
const noTorch = fake('notorch', json({ python: '3.12.1', executable: '/x/python', error: "ModuleNotFoundError: No module named 'torch'" }));
const oldTorch = fake('oldtorch', json({ python: '3.9.0', torch: '1.12.1', devices: [{ kind: 'cpu', index: 0, name: 'x86_64' }] }));
const cuda = fake('cuda', json({ python: '3.11.7', executable: '/venv/bin/python', torch: '2.5.1+cu124', torchvision: '0.20.1', devices: [{ kind: 'cuda', index: 0, name: 'NVIDIA H200', memoryGb: 139.8 }, { kind: 'cpu', index: 0, name: 'x86_64' }] }));
const mps = fake('mps', json({ python: '3.12.0', torch: '2.4.0', devices: [{ kind: 'mps', index: 0, name: 'Apple GPU' }, { kind: 'cpu', index: 0, name: 'arm' }] }));
const garbage = fake('garbage', 'echo "Python 2.7 says hello"');
const crash = fake('crash', 'echo "Segmentation fault" >&2; exit 139');
const hang = fake('hang', 'sleep 30');

test('candidates: NETSMITH_PYTHON first, then python3/python on PATH, then the system python3', () => {
  assert.deepEqual(pythonCandidates({ NETSMITH_PYTHON: '/venv/bin/python' }), ['/venv/bin/python', 'python3', 'python', '/usr/bin/python3']);
  assert.deepEqual(pythonCandidates({}), ['python3', 'python', '/usr/bin/python3']);
  assert.deepEqual(pythonCandidates({ NETSMITH_PYTHON: '/usr/bin/python3' }), ['/usr/bin/python3', 'python3', 'python']);
});

test('torch versions: Debian, pip CPU and CUDA builds', () => {
  assert.deepEqual(torchVersionOf('1.13.0a0'), [1, 13]);
  assert.deepEqual(torchVersionOf('2.13.0+cpu'), [2, 13]);
  assert.deepEqual(torchVersionOf('2.5.1+cu124'), [2, 5]);
  assert.equal(torchVersionOf('nightly'), undefined);
});

test('takes the first candidate that imports torch >= 1.13 and says why the others were skipped', async () => {
  const found = await discoverTorchUncached({ candidates: [join(dir, 'missing'), noTorch, oldTorch, garbage, crash, cuda, mps] });
  assert.ok(found.ok);
  assert.equal(found.python, cuda);
  assert.equal(found.torchVersion, '2.5.1+cu124');
  assert.equal(found.torchvision, '0.20.1');
  assert.deepEqual(found.tried.map((t) => t.ok), [false, false, false, false, false, true]);
  assert.match(found.tried[0].reason!, /not found/);
  assert.match(found.tried[1].reason!, /cannot import torch \(ModuleNotFoundError/);
  assert.match(found.tried[2].reason!, /torch 1\.12\.1 is too old: the lab needs torch 1\.13 or newer/);
  assert.match(found.tried[3].reason!, /not a Python 3 the lab can use/);
  assert.match(found.tried[4].reason!, /exited with 139: Segmentation fault/);
  const gpu = pickDevice(found, 'auto');
  assert.equal(deviceLabel(gpu), 'PyTorch · CUDA · NVIDIA H200');
  assert.equal(deviceLabel(pickDevice(found, 'cpu')), 'PyTorch · CPU');
  assert.throws(() => pickDevice(found, 'mps'), /has no Apple GPU \(mps\) device; it has: cuda, cpu/);
});

test('auto on a Mac takes the Apple GPU', async () => {
  const found = await discoverTorchUncached({ candidates: [mps] });
  assert.ok(found.ok);
  assert.equal(deviceLabel(pickDevice(found, 'auto')), 'PyTorch · Apple GPU');
});

test('nothing usable: the report names each candidate, the version found, and how to enable PyTorch', async () => {
  const found = await discoverTorchUncached({ candidates: [noTorch, oldTorch, hang], timeoutMs: 1500 });
  assert.equal(found.ok, false);
  if (found.ok) return;
  assert.match(found.reason, /torch 1\.12\.1 is too old/);
  assert.match(found.reason, /hang: did not answer within 2 s/);
  assert.match(found.howTo, /pip install torch/);
  assert.match(found.howTo, /NETSMITH_PYTHON/);
});

test('the system python3 (Debian python3-torch 1.13) is found for real', { timeout: 60_000 }, async () => {
  const found = await discoverTorchUncached({ candidates: ['/usr/bin/python3'] });
  assert.ok(found.ok, found.ok ? '' : found.reason);
  assert.match(found.torchVersion, /^1\.13/);
  assert.ok(found.devices.some((d) => d.kind === 'cpu'));
  assert.match(found.torchvision ?? '', /^0\.14/);
});
