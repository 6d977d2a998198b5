import { analyze, buildErrorsOf, nodeName } from '../../../shared/graph/analyze';
import { blockByType } from '../../../shared/blocks';
import { formatShapeWithBatch } from '../../../shared/blocks/shapeMath';
import { siUnits, table, withCommas } from '../format';
import { loadGraph } from '../loadGraph';
import { CliError, parseArgs, type Command } from './types';

export const command: Command = async (argv) => {
  const { positional, options } = parseArgs(argv, ['json'], []);
  const { graph, notes } = await loadGraph(positional[0]);
  const analysis = analyze(graph);
  const errors = buildErrorsOf(analysis);
  if (errors.length) {
    throw new CliError(`${graph.meta.name} has ${errors.length} error${errors.length > 1 ? 's' : ''}:\n${errors.map((e) => `  ${e.message}`).join('\n')}`);
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const groupName = new Map(graph.groups.map((g) => [g.id, g]));
  const layers = analysis.order
    .filter((id) => analysis.expanded.origin.get(id) === id)
    .map((id) => {
      const node = byId.get(id)!;
      const info = analysis.nodes[id];
      const group = node.group ? groupName.get(node.group) : undefined;
      return {
        id,
        name: nodeName(node),
        type: node.type,
        title: blockByType(node.type)?.title ?? node.type,
        group: group ? `${group.name}${group.repeat > 1 ? ` ×${group.repeat}` : ''}` : undefined,
        copies: info.copies,
        outputShape: info.output ? [...info.output] : null,
        params: (info.cost?.params ?? 0) * info.copies,
        flops: info.flops * info.copies,
      };
    });
  const totals = analysis.totals;
  if (options.json) {
    console.log(JSON.stringify({ name: graph.meta.name, input: graph.meta.input.shape, layers, totals: { params: totals.params, flops: totals.flops, macs: totals.macs, buffers: totals.buffers, activations: totals.activations }, warnings: analysis.issues.filter((i) => i.severity === 'warning').map((i) => i.message), trainingErrors: analysis.issues.filter((i) => i.severity === 'error' && i.code === 'head').map((i) => i.message), notes }, null, 2));
    return 0;
  }
  for (const n of notes) console.log(`note: ${n}`);
  const rows = [['name', 'type', 'output', 'params', 'FLOPs', 'group'], ...layers.map((l) => [l.name, l.title, l.outputShape ? formatShapeWithBatch(l.outputShape) : '?', withCommas(l.params), siUnits(l.flops), l.group ?? ''])];
  console.log(`${graph.meta.name} — input ${graph.meta.input.shape.join('×')}, task ${graph.meta.task}`);
  console.log(table(rows, [3, 4]));
  console.log(`\nTotal: ${withCommas(totals.params)} params (+${withCommas(totals.buffers)} BN statistics), ${siUnits(totals.flops)}FLOPs (${siUnits(totals.macs)}MACs; 1 MAC = 2 FLOPs), activations ${siUnits(totals.activations * 4)}B per sample`);
  for (const w of analysis.issues.filter((i) => i.severity === 'warning')) console.log(`warning: ${w.message}`);
  // The head does not fit the task: the table is shown, but training refuses this graph.
  for (const h of analysis.issues.filter((i) => i.severity === 'error' && i.code === 'head')) console.log(`cannot train: ${h.message}`);
  return 0;
};
