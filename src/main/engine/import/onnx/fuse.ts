import { blockByType } from '../../../../shared/blocks';
import { layeredLayout } from '../../../../shared/graph/layout';
import type { EdgeDoc, GraphDoc, NodeDoc } from '../../../../shared/graph/types';
import type { Weight } from './tensors';

/**
 * Composite lab blocks put back together after mapping, so a ViT comes back as the blocks it was built from:
 * - Conv2D with kernel = stride = p > 1 (no padding) → Reshape to [H/p·W/p, D]: Patch Embed;
 * - LayerNorm → MHSA → Add(x) → LayerNorm → Dense → GELU → Dense → Add: one pre-norm Transformer Encoder.
 * Weights of the parts move to the composite under `<sublayer>/<weight>` (the compiled layer `<base>__<sublayer>`).
 */
export function fuseBlocks(graph: GraphDoc, weights: Map<string, Record<string, Weight>>): void {
  let changed = false;
  for (const n of [...graph.nodes]) if (n.type === 'core/conv2d' && graph.nodes.includes(n)) changed = fusePatchEmbed(graph, weights, n) || changed;
  for (const n of [...graph.nodes]) if (n.type === 'norm/layernorm' && graph.nodes.includes(n)) changed = fuseEncoder(graph, weights, n) || changed;
  if (!changed) return;
  const positions = layeredLayout(graph.nodes, graph.edges);
  for (const n of graph.nodes) n.position = positions.get(n.id)!;
}

const consumers = (g: GraphDoc, id: string): NodeDoc[] => g.edges.filter((e) => e.source === id).map((e) => g.nodes.find((n) => n.id === e.target)!);
const producers = (g: GraphDoc, id: string): string[] => g.edges.filter((e) => e.target === id).map((e) => e.source);

function soleConsumer(g: GraphDoc, id: string, type: string): NodeDoc | undefined {
  const c = consumers(g, id);
  return c.length === 1 && c[0].type === type ? c[0] : undefined;
}

function uniqueId(g: GraphDoc, base: string): string {
  for (let k = 1; ; k++) if (!g.nodes.some((n) => n.id === `${base}_${k}`)) return `${base}_${k}`;
}

/** Replaces `chain` (first node's inputs: from `input`; last node's consumers kept) by one node. */
function replace(g: GraphDoc, weights: Map<string, Record<string, Weight>>, chain: NodeDoc[], input: string, node: Omit<NodeDoc, 'id' | 'position'>, w: Record<string, Weight>): void {
  const ids = new Set(chain.map((n) => n.id));
  const def = blockByType(node.type)!;
  const id = uniqueId(g, node.type.split('/').pop()!);
  const last = chain[chain.length - 1];
  const inEdge = g.edges.find((e) => e.source === input && ids.has(e.target))!;
  const out: EdgeDoc[] = g.edges.filter((e) => e.source === last.id).map((e) => ({ ...e, source: id, sourcePort: def.outputs[0] }));
  g.edges = g.edges.filter((e) => !ids.has(e.source) && !ids.has(e.target));
  g.edges.push({ ...inEdge, target: id, targetPort: def.inputs[0].name }, ...out);
  const at = g.nodes.findIndex((n) => ids.has(n.id));
  g.nodes = g.nodes.filter((n) => !ids.has(n.id));
  g.nodes.splice(at, 0, { ...node, id, position: { x: 0, y: 0 } });
  for (const n of chain) weights.delete(n.id);
  weights.set(id, w);
}

const prefixed = (w: Record<string, Weight> | undefined, sub: string): Record<string, Weight> => Object.fromEntries(Object.entries(w ?? {}).map(([k, v]) => [`${sub}/${k}`, v]));

function fusePatchEmbed(g: GraphDoc, weights: Map<string, Record<string, Weight>>, conv: NodeDoc): boolean {
  const p = conv.params as { filters: number; kernel: number; stride: number; padding: string; pad: number; dilation: number; groups: number; bias: boolean };
  if (p.kernel !== p.stride || p.kernel < 2 || p.pad !== 0 || p.dilation !== 1 || p.groups !== 1 || !p.bias) return false;
  const reshape = soleConsumer(g, conv.id, 'reshape/reshape');
  const shape = (reshape?.params as { shape?: number[] } | undefined)?.shape;
  if (!reshape || shape?.length !== 2 || shape[1] !== p.filters) return false;
  const [input] = producers(g, conv.id);
  replace(g, weights, [conv, reshape], input, { type: 'tfm/patch_embed', v: blockByType('tfm/patch_embed')!.version, ...(conv.label ? { label: conv.label.replace(/\.pad$/, '') } : {}), params: { patch: p.kernel, dim: p.filters } }, prefixed(weights.get(conv.id), 'proj'));
  return true;
}

function fuseEncoder(g: GraphDoc, weights: Map<string, Record<string, Weight>>, ln1: NodeDoc): boolean {
  const [x] = producers(g, ln1.id);
  const attn = soleConsumer(g, ln1.id, 'attn/mhsa');
  const add1 = attn && soleConsumer(g, attn.id, 'merge/add');
  if (!attn || !add1 || producers(g, add1.id).sort().join() !== [x, attn.id].sort().join()) return false;
  const xUses = consumers(g, x).map((n) => n.id).sort().join();
  if (xUses !== [ln1.id, add1.id].sort().join()) return false;
  const after1 = consumers(g, add1.id);
  const ln2 = after1.find((n) => n.type === 'norm/layernorm');
  const fc1 = ln2 && soleConsumer(g, ln2.id, 'core/dense');
  const gelu = fc1 && soleConsumer(g, fc1.id, 'act/gelu');
  const fc2 = gelu && soleConsumer(g, gelu.id, 'core/dense');
  const add2 = fc2 && soleConsumer(g, fc2.id, 'merge/add');
  if (!ln2 || !fc1 || !gelu || !fc2 || !add2 || after1.length !== 2 || !after1.some((n) => n.id === add2.id)) return false;
  if (producers(g, add2.id).sort().join() !== [add1.id, fc2.id].sort().join()) return false;
  const eps = (ln1.params as { epsilon: number }).epsilon;
  const a = attn.params as { heads: number; qkvBias: boolean };
  const f1 = fc1.params as { units: number; bias: boolean };
  const f2 = fc2.params as { bias: boolean };
  if ((ln2.params as { epsilon: number }).epsilon !== eps || !a.qkvBias || !f1.bias || !f2.bias || (gelu.params as { approximate?: string }).approximate === 'tanh') return false;
  const label = attn.label?.replace(/\.(self_attention|attn|mha|attention)$/, '');
  const w = { ...prefixed(weights.get(ln1.id), 'ln1'), ...prefixed(weights.get(attn.id), 'attn'), ...prefixed(weights.get(ln2.id), 'ln2'), ...prefixed(weights.get(fc1.id), 'fc1'), ...prefixed(weights.get(fc2.id), 'fc2') };
  replace(g, weights, [ln1, attn, add1, ln2, fc1, gelu, fc2, add2], x, { type: 'tfm/encoder', v: blockByType('tfm/encoder')!.version, ...(label && label !== attn.label ? { label } : {}), params: { heads: a.heads, mlpDim: f1.units, dropout: 0, attnDropout: 0, epsilon: eps } }, w);
  return true;
}
