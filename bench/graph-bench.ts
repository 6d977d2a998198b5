// Shape inference + validation speed: median time of `analyze()` (expand groups, infer shapes, costs, checks).
// Usage: npx tsx bench/graph-bench.ts [runs=50]
import { pathToFileURL } from 'node:url';
import { analyze, errorsOf } from '../src/shared/graph/analyze';
import type { GraphDoc } from '../src/shared/graph/types';
import { buildResNet, templateById } from '../src/shared/templates';

export interface GraphBenchCase {
  name: string;
  /** Nodes in the document / after unrolling repeated groups. */
  nodes: number;
  expandedNodes: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  targetMs: number;
  ok: boolean;
}

function time(graph: GraphDoc, runs: number): { median: number; min: number; max: number; expanded: number } {
  const first = analyze(graph);
  if (errorsOf(first).length > 0) throw new Error(`bench graph '${graph.meta.name}' has errors: ${errorsOf(first)[0].message}`);
  for (let i = 0; i < 20; i++) analyze(graph); // warm-up (JIT)
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    analyze(graph);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const mid = ms.length >> 1;
  const median = ms.length % 2 ? ms[mid] : (ms[mid - 1] + ms[mid]) / 2;
  return { median, min: ms[0], max: ms[ms.length - 1], expanded: first.expanded.nodes.length };
}

/**
 * Median of `runs` analyses of ResNet-50 (the template: repeated groups, 95 nodes) and of a flat
 * ResNet-152-sized graph (every block its own group, ~515 nodes). Targets: < 5 ms and < 16 ms (one frame).
 */
export function runGraphBench(runs = 50): GraphBenchCase[] {
  const cases: { name: string; graph: GraphDoc; targetMs: number }[] = [
    { name: 'resnet50 (template)', graph: templateById('resnet50')!.build(), targetMs: 5 },
    { name: 'resnet152 (flat, ~500 nodes)', graph: buildResNet({ name: 'ResNet-152', block: 'bottleneck', layers: [3, 8, 36, 3], unroll: true }), targetMs: 16 },
  ];
  return cases.map(({ name, graph, targetMs }) => {
    const t = time(graph, runs);
    return { name, nodes: graph.nodes.length, expandedNodes: t.expanded, medianMs: t.median, minMs: t.min, maxMs: t.max, targetMs, ok: t.median < targetMs };
  });
}

if (process.argv[1]?.endsWith('graph-bench.ts') && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.argv[2] ?? 50);
  console.log(`analyze(): shape inference + validation, median of ${runs} runs`);
  for (const c of runGraphBench(runs)) {
    console.log(
      `${c.name.padEnd(30)} ${String(c.nodes).padStart(4)} nodes (${c.expandedNodes} unrolled)  median ${c.medianMs.toFixed(2)} ms  [${c.minMs.toFixed(2)}–${c.maxMs.toFixed(2)}]  target < ${c.targetMs} ms  ${c.ok ? 'OK' : 'SLOW'}`,
    );
  }
}
