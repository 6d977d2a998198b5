import type { Compiled } from '../compile/compile';
import { deviceLabel, discoverTorch, pickDevice } from './discover';
import { torchUnsupported } from './engine';

/**
 * backend 'auto': PyTorch when it finds a GPU and can train the network; else TF.js, which needs nothing
 * installed. (On a CPU the bench shows no clear winner across the lab's networks, so the embedded engine stays.)
 * NETSMITH_AUTO_TORCH=0 turns the check off.
 */
export async function torchForAuto(compiled: Compiled, task: string): Promise<{ use: boolean; why?: string }> {
  if (process.env.NETSMITH_AUTO_TORCH === '0') return { use: false };
  const found = await discoverTorch();
  if (!found.ok) return { use: false };
  const device = pickDevice(found, 'auto');
  if (device.kind === 'cpu') return { use: false, why: `Backend auto: PyTorch ${found.torchVersion} is installed but found no GPU, so this run trains on TF.js, which needs no Python (pick PyTorch · CPU in Backend, or --backend torch, to use it).` };
  const unsupported = torchUnsupported(compiled, task);
  if (unsupported) return { use: false, why: `Found ${deviceLabel(device, found.rocm)}, but ${unsupported}.` };
  return { use: true, why: `Backend auto: training on ${deviceLabel(device, found.rocm)} (torch ${found.torchVersion}), found with ${found.python}.` };
}
