// Per-kernel time of a few training steps (tf.profile), to find hot kernels.
// Usage: npx tsx bench/backend/profile.ts [lenet|resnet|vit] [backend=wasm] [batch=64] [shapes]
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from '../../src/main/engine/backend/select';
import { buildModel, type ModelName, syntheticBatch } from './models';
import { makeStepper } from './step';

export async function profileModel(name: ModelName, batch = 64, steps = 3, byShape = false): Promise<{ kernel: string; ms: number; calls: number }[]> {
  const model = buildModel(name);
  const stepper = makeStepper(model, { syncEvery: 1 });
  const { x, y } = syntheticBatch(name, batch);
  for (let i = 0; i < 2; i++) await stepper.step(x, y); // warm-up (XNNPACK operator creation)
  // Time kernels in process CPU time: other processes on a shared machine
  // inflate wall time, not the CPU time of our (single-threaded) kernels.
  const backend = tf.backend() as unknown as { time: (f: () => void) => Promise<tf.TimingInfo> };
  const wallTime = backend.time.bind(backend);
  backend.time = async (f) => {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    return { kernelMs: (c.user + c.system) / 1000, wallMs: 0 } as tf.TimingInfo;
  };
  const profile = await tf.profile(async () => {
    for (let i = 0; i < steps; i++) await stepper.step(x, y);
  });
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of profile.kernels) {
    const key = byShape ? `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join('')}` : k.name;
    const e = byKernel.get(key) ?? { ms: 0, calls: 0 };
    e.ms += (k.kernelTimeMs as number) / steps;
    e.calls += 1 / steps;
    byKernel.set(key, e);
  }
  backend.time = wallTime;
  tf.dispose([x, y]);
  stepper.dispose();
  model.dispose();
  return [...byKernel.entries()].map(([kernel, e]) => ({ kernel, ...e })).sort((a, b) => b.ms - a.ms);
}

async function main(): Promise<void> {
  const [name = 'lenet', backend = 'wasm', batch = '64', byShape = ''] = process.argv.slice(2);
  const report = await selectBackend({ prefer: backend as BackendName });
  console.log(`backend: ${report.label}`);
  const rows = await profileModel(name as ModelName, Number(batch), 3, byShape === 'shapes');
  const total = rows.reduce((s, r) => s + r.ms, 0);
  console.log(`${name}: ${total.toFixed(1)} ms of kernels per step`);
  for (const r of rows.slice(0, 25)) {
    console.log(`${r.kernel.padEnd(byShape ? 70 : 36)} ${r.ms.toFixed(2).padStart(8)} ms ${(100 * r.ms / total).toFixed(1).padStart(5)}%  ${r.calls.toFixed(0).padStart(4)} calls`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
