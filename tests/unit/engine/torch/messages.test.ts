// The runner's messages for failures that need a GPU to happen for real: CUDA out of memory suggests a
// smaller batch (checked on the runner's own code with Debian's torch), and a device the host lacks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { PYTHON_ROOT, pickDevice, type TorchDiscovery } from '../../../../src/main/engine/torch/discover';

test('CUDA out of memory: the message says so and suggests a smaller batch', () => {
  const out = execFileSync(
    '/usr/bin/python3',
    ['-c', "from netsmith_runner.run import _explain\nprint(_explain(RuntimeError('CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.15 GiB total capacity)')))"],
    { env: { ...process.env, PYTHONPATH: PYTHON_ROOT }, encoding: 'utf8' },
  );
  assert.match(out, /^the GPU ran out of memory: use a smaller batch size/);
  assert.match(out, /Tried to allocate 2\.00 GiB/);
});

test('--device cuda on a host without CUDA names what it has', () => {
  const found: Extract<TorchDiscovery, { ok: true }> = { ok: true, python: 'python3', executable: '/usr/bin/python3', pythonVersion: '3.11', torchVersion: '1.13.0a0', torchvision: null, devices: [{ kind: 'cpu', index: 0, name: 'x86_64' }], rocm: false, tried: [] };
  assert.throws(() => pickDevice(found, 'cuda'), /PyTorch 1\.13\.0a0 \(python3\) has no CUDA device; it has: cpu/);
  assert.equal(pickDevice(found, 'auto').kind, 'cpu');
});

test('a block without a PyTorch twin, and a task the engine does not train, are named', async () => {
  const { ENGINE_BLOCKS } = await import('../../../../src/main/engine/blocks');
  const { compile } = await import('../../../../src/main/engine/compile/compile');
  const { torchUnsupported } = await import('../../../../src/main/engine/torch/engine');
  const { templateById } = await import('../../../../src/shared/templates');
  const compiled = compile(templateById('lenet_mnist')!.build());
  assert.equal(torchUnsupported(compiled, 'classification'), undefined);
  assert.equal(torchUnsupported(compiled, 'detection'), undefined);
  assert.equal(torchUnsupported(compiled, 'segmentation'), undefined);
  assert.match(torchUnsupported(compiled, 'regression') ?? '', /trains classification, detection, segmentation networks; this is a regression network/);
  const twin = ENGINE_BLOCKS['core/dense'] as { pytorch?: unknown };
  const saved = twin.pytorch;
  twin.pytorch = { unsupported: 'declared by this test' };
  try {
    assert.match(torchUnsupported(compiled, 'classification') ?? '', /block '.+' \(core\/dense\) has no PyTorch twin yet, so the PyTorch engine cannot train this network/);
  } finally {
    twin.pytorch = saved;
  }
});
