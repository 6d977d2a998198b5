// The WebGPU probe skips Dawn (and its stderr warnings) where no Vulkan driver can work.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probeVulkan } from '../../../../src/main/engine/backend/vulkan';

function fakeSystem(files: string[], env: NodeJS.ProcessEnv = {}, platform: NodeJS.Platform = 'linux') {
  const set = new Set(files);
  return {
    platform,
    env,
    exists: (p: string) => set.has(p),
    list: (dir: string) => files.filter((f) => f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes('/')).map((f) => f.slice(dir.length + 1)),
  };
}

const LOADER = '/usr/lib/x86_64-linux-gnu/libvulkan.so.1';

describe('probeVulkan', () => {
  it('is not needed off Linux', () => {
    assert.deepEqual(probeVulkan(fakeSystem([], {}, 'darwin')), { ok: true });
  });

  it('needs the loader library', () => {
    const r = probeVulkan(fakeSystem(['/usr/share/vulkan/icd.d/nvidia_icd.json']));
    assert.equal(r.ok, false);
    assert.match(r.reason!, /libvulkan\.so\.1/);
  });

  it('needs a driver manifest in the loader search path', () => {
    const r = probeVulkan(fakeSystem([LOADER]));
    assert.equal(r.ok, false);
    assert.match(r.reason!, /no Vulkan driver installed .*\/usr\/share\/vulkan\/icd\.d/);
    assert.equal(probeVulkan(fakeSystem([LOADER, '/etc/vulkan/icd.d/nvidia_icd.json', '/dev/nvidiactl'])).ok, true);
    assert.equal(probeVulkan(fakeSystem([LOADER, '/usr/share/vulkan/icd.d/intel_icd.x86_64.json', '/dev/dri/renderD128'])).ok, true);
  });

  it('skips drivers whose GPU is absent, and software drivers unless allowed', () => {
    // Mesa's package installs intel/radeon/lavapipe manifests on every machine, GPU or not.
    const mesa = [LOADER, '/usr/share/vulkan/icd.d/intel_icd.x86_64.json', '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json'];
    const r = probeVulkan(fakeSystem(mesa));
    assert.equal(r.ok, false);
    assert.match(r.reason!, /no GPU for the installed Vulkan drivers/);
    assert.equal(probeVulkan(fakeSystem(mesa), true).ok, true);
    assert.equal(probeVulkan(fakeSystem([LOADER, '/usr/share/vulkan/icd.d/nvidia_icd.json'])).ok, false);
  });

  it('trusts an explicit VK_DRIVER_FILES and finds the loader through LD_LIBRARY_PATH', () => {
    assert.equal(probeVulkan(fakeSystem(['/opt/vk/libvulkan.so.1'], { LD_LIBRARY_PATH: '/opt/vk', VK_DRIVER_FILES: '/x.json' })).ok, true);
  });

  it('points the loader at a container-mounted NVIDIA driver', () => {
    const r = probeVulkan(fakeSystem([LOADER, '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json', '/dev/nvidia0']));
    assert.deepEqual(r, { ok: true, driverFiles: '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json' });
  });
});
