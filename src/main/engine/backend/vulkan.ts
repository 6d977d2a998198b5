// On Linux, Dawn (npm `webgpu`) reaches the GPU through the Vulkan loader. Creating Dawn on a machine
// without a Vulkan driver prints loader and XDG warnings on stderr before failing, so the WebGPU probe
// looks for the loader library and a driver manifest (ICD) first and skips Dawn when either is missing.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface VulkanProbe {
  ok: boolean;
  /** Why WebGPU cannot work here, when !ok. */
  reason?: string;
  /** A driver manifest found outside the loader's search path, to pass in VK_DRIVER_FILES. */
  driverFiles?: string;
}

interface ProbeEnv {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  exists(path: string): boolean;
  list(dir: string): string[];
}

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/lib64', '/usr/local/lib'];
/** Where NVIDIA's container runtime mounts its driver files; the loader does not search there by itself. */
const CONTAINER_ICD_DIRS = ['/usr/local/nvidia/share/vulkan/icd.d'];

const realEnv: ProbeEnv = {
  platform: process.platform,
  env: process.env,
  exists: existsSync,
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
};

const SOFTWARE_ICD = /lvp|lavapipe|swiftshader/i;

/** Whether the GPU a manifest's driver talks to has a device node here (Mesa's hardware ICDs ship even where there is no such GPU). */
function driverUsable(manifest: string, sys: ProbeEnv, allowSoftware: boolean): boolean {
  if (SOFTWARE_ICD.test(manifest)) return allowSoftware;
  if (/nvidia/i.test(manifest)) return sys.exists('/dev/nvidiactl') || sys.exists('/dev/nvidia0');
  return sys.list('/dev/dri').some((f) => f.startsWith('renderD'));
}

export function probeVulkan(sys: ProbeEnv = realEnv, allowSoftware = false): VulkanProbe {
  if (sys.platform !== 'linux') return { ok: true };
  const libPaths = [...(sys.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), ...LIB_DIRS];
  if (!libPaths.some((d) => sys.exists(join(d, 'libvulkan.so.1')))) {
    return { ok: false, reason: 'no Vulkan loader (libvulkan.so.1; Debian/Ubuntu package libvulkan1)' };
  }
  if (sys.env.VK_DRIVER_FILES || sys.env.VK_ICD_FILENAMES || sys.env.VK_ADD_DRIVER_FILES) return { ok: true };
  const dataDirs = (sys.env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':').filter(Boolean);
  const searched = ['/etc/vulkan/icd.d', ...dataDirs.map((d) => join(d, 'vulkan', 'icd.d'))];
  const manifests = searched.flatMap((d) => sys.list(d).filter((f) => f.endsWith('.json')));
  if (manifests.some((m) => driverUsable(m, sys, allowSoftware))) return { ok: true };
  for (const dir of CONTAINER_ICD_DIRS) {
    const manifest = sys.list(dir).find((f) => f.endsWith('.json'));
    if (manifest && driverUsable(manifest, sys, allowSoftware)) return { ok: true, driverFiles: join(dir, manifest) };
  }
  if (manifests.length === 0) return { ok: false, reason: `no Vulkan driver installed (no ICD manifest in ${searched.join(', ')})` };
  return { ok: false, reason: `no GPU for the installed Vulkan drivers (${manifests.join(', ')}): no /dev/dri render node or /dev/nvidiactl` };
}
