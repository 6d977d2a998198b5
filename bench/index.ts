// `npm run bench`: every benchmark of the project, one after another. Timings are wall clock: run it on an
// idle machine (two benchmarks at once on 2 cores halve each other).
//   npm run bench                 graph analysis + editing + training throughput (all backends, PyTorch if present) + the detector
//   npm run bench -- graph        only the graph benchmarks
//   npm run bench -- train [...]  only training throughput (options: see bench/backend/train-bench.ts; --backends torch: only
//                                 the lab's PyTorch engine against a plain PyTorch loop, bench/torch-engine.ts, [--device cuda])
//   npm run bench -- ui           only the editor in Chromium with a ~500-node graph (bench/editor-ui.ts)
//   npm run bench -- detect [--epochs N] [--train N] [--val N]  only the detector: yolo_nano on shapes-det to mAP@0.5 (minutes)
import { analyze } from '../src/shared/graph/analyze';
import type { GraphDoc } from '../src/shared/graph/types';
import { buildResNet } from '../src/shared/templates';
import { runGraphBench } from './graph-bench';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** An edit in the editor: change one conv's stride, then re-infer every shape of a ~500-node graph. */
function editBench(runs = 50): { nodes: number; medianMs: number } {
  let graph: GraphDoc = buildResNet({ name: 'ResNet-152', block: 'bottleneck', layers: [3, 8, 36, 3], unroll: true });
  const convs = graph.nodes.filter((n) => n.type === 'core/conv2d' && n.params.kernel === 3 && n.params.stride === 1);
  for (let i = 0; i < 10; i++) analyze(graph);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const target = convs[i % convs.length];
    const t0 = performance.now();
    graph = { ...graph, nodes: graph.nodes.map((n) => (n === target ? { ...n, params: { ...n.params, dilation: 1 + (i % 2) } } : n)) };
    analyze(graph);
    ms.push(performance.now() - t0);
  }
  return { nodes: graph.nodes.length, medianMs: median(ms) };
}

async function main(): Promise<void> {
  const [which = 'all', ...rest] = process.argv.slice(2);
  if (which === 'all' || which === 'graph') {
    console.log('# Graph: shape inference + validation (analyze), median of 50 runs');
    for (const c of runGraphBench(50)) {
      console.log(`${c.name.padEnd(30)} ${String(c.nodes).padStart(4)} nodes (${c.expandedNodes} unrolled)  ${c.medianMs.toFixed(2)} ms  (target < ${c.targetMs} ms) ${c.ok ? 'OK' : 'SLOW'}`);
    }
    const e = editBench();
    console.log(`${'edit + re-infer (ResNet-152)'.padEnd(30)} ${String(e.nodes).padStart(4)} nodes  ${e.medianMs.toFixed(2)} ms per edit  (target < 16 ms) ${e.medianMs < 16 ? 'OK' : 'SLOW'}`);
  }
  if (which === 'all' || which === 'ui') {
    console.log('\n# Editor in Chromium: a ~500-node graph (open, drag, pan, type)');
    const { runUiBench, formatUiBench } = await import('./editor-ui');
    console.log(formatUiBench(await runUiBench()));
  }
  if (which === 'all' || which === 'train') {
    const options = parseTrainOptions(rest) ?? {};
    const wantTorch = !options.backends || (options.backends as string[]).includes('torch');
    const tfBackends = options.backends?.filter((b) => (b as string) !== 'torch');
    if (!tfBackends || tfBackends.length > 0) {
      console.log('\n# Training throughput (samples/s), synthetic data, batch 64, Adam');
      const { runTrainBench, formatTable } = await import('./backend/train-bench');
      const rows = await runTrainBench({ ...options, ...(tfBackends ? { backends: tfBackends } : {}) });
      console.log(formatTable(rows));
    }
    if (wantTorch) {
      console.log("\n# The lab's PyTorch engine (full telemetry) vs a plain PyTorch loop on the same Python and module, batch 64, Adam");
      const { runTorchBench, formatTorchTable } = await import('./torch-engine');
      const arg = (name: string): string | undefined => (rest.includes(`--${name}`) ? rest[rest.indexOf(`--${name}`) + 1] : undefined);
      const device = arg('device') as 'cpu' | undefined;
      const batch = arg('batch') ? Number(arg('batch')) : undefined;
      const steps = arg('steps') ? Number(arg('steps')) : undefined;
      console.log(formatTorchTable(await runTorchBench({ ...(options.models ? { models: options.models as string[] } : {}), ...(device ? { device } : {}), ...(batch ? { batch } : {}), ...(steps ? { steps } : {}) })));
    }
  }
  if (which === 'all' || which === 'detect') {
    console.log('\n# Detection: yolo_nano trained on shapes-det with its recommended settings (wall clock)');
    const { runDetectBench, formatDetectResult } = await import('./detect');
    const num = (name: string): number | undefined => (rest.includes(`--${name}`) ? Number(rest[rest.indexOf(`--${name}`) + 1]) : undefined);
    console.log(formatDetectResult(await runDetectBench({ epochs: num('epochs'), train: num('train'), val: num('val') })));
  }
}

function parseTrainOptions(args: string[]): Parameters<typeof import('./backend/train-bench').runTrainBench>[0] {
  const get = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  return {
    ...(get('models') ? { models: get('models')!.split(',') as never } : {}),
    ...(get('backends') ? { backends: get('backends')!.split(',') as never } : {}),
  };
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
