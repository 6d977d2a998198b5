import { blockByType } from '../blocks';
import { analyze } from '../graph/analyze';
import type { GraphDoc } from '../graph/types';

/**
 * Receptive fields computed from a graph, with the notes' recurrence (003):
 *
 *   RF_i = (RF_{i+1} − 1)·s_i + k_i
 *
 * read from the top: a unit of layer L sees RF_L = 1 of its own map, and each layer below widens it by its
 * kernel k_i and multiplies by its stride s_i. A dilated kernel counts as k = d·(k − 1) + 1.
 */

export interface RfLayer {
  /** Graph node id (expanded id for repeated groups) and its display name. */
  node: string;
  name: string;
  type: string;
  kernel: number;
  stride: number;
  dilation: number;
  /** Receptive field of one unit of this layer's output, in input pixels. */
  rf: number;
  /** Distance in input pixels between neighbouring units of this layer's output (the product of strides). */
  jump: number;
}

/** Backward recurrence over a chain of (k, s), input first: the RF of one unit of the last layer on the input. */
export function receptiveFieldOf(chain: readonly { kernel: number; stride: number; dilation?: number }[]): number {
  let rf = 1;
  for (let i = chain.length - 1; i >= 0; i--) {
    const { kernel, stride, dilation = 1 } = chain[i];
    rf = (rf - 1) * stride + dilation * (kernel - 1) + 1;
  }
  return rf;
}

/** The spatial window of a node: conv-like blocks and pools; undefined for blocks that keep the geometry. */
function windowOf(type: string, params: Record<string, unknown>): { kernel: number; stride: number; dilation: number } | undefined {
  const def = blockByType(type);
  if (!def?.window) return undefined;
  const p = { ...Object.fromEntries(Object.entries(def.params).map(([k, spec]) => [k, (spec as { default?: unknown }).default])), ...params };
  return def.window(p as Parameters<typeof def.window>[0]);
}

/**
 * Every spatial layer of the graph (convs and pools) with the receptive field of its output units. Along
 * branches (residual blocks) a merge takes the widest input. Stops at the first block that pools globally or
 * flattens (its units see the whole image).
 */
export function receptiveFields(graph: GraphDoc): RfLayer[] {
  const a = analyze(graph);
  const byId = new Map(a.expanded.nodes.map((n) => [n.id, n]));
  const inputsOf = new Map<string, string[]>();
  for (const e of a.expanded.edges) (inputsOf.get(e.target) ?? inputsOf.set(e.target, []).get(e.target)!).push(e.source);
  // For each node: the chain of windows (input first) that gives its widest field.
  const chainOf = new Map<string, { kernel: number; stride: number; dilation: number; node: string }[]>();
  const out: RfLayer[] = [];
  for (const id of a.order) {
    const n = byId.get(id);
    if (!n) continue;
    if (n.type === 'io/input') {
      chainOf.set(id, []);
      continue;
    }
    const shape = a.nodes[id]?.output;
    if (!shape || shape.length !== 4) continue; // flattened or pooled globally: not a spatial map any more
    const ins = (inputsOf.get(id) ?? []).map((s) => chainOf.get(s)).filter((c): c is NonNullable<typeof c> => c !== undefined);
    if (!ins.length) continue;
    const widest = ins.reduce((best, c) => (receptiveFieldOf(c) > receptiveFieldOf(best) ? c : best));
    const w = windowOf(n.type, n.params);
    const chain = w ? [...widest, { ...w, node: id }] : widest;
    chainOf.set(id, chain);
    if (w) {
      out.push({
        node: id,
        name: n.label || n.id,
        type: n.type,
        ...w,
        rf: receptiveFieldOf(chain),
        jump: chain.reduce((j, l) => j * l.stride, 1),
      });
    }
  }
  return out;
}

/** The field of the last spatial layer (what the global pooling / head reads), or 1 for a graph with none. */
export function finalReceptiveField(graph: GraphDoc): number {
  const layers = receptiveFields(graph);
  return layers.length ? layers[layers.length - 1].rf : 1;
}

/** A square of side `rf` centred on pixel (cx, cy), and its part inside a width×height image. */
export function rfSquare(rf: number, cx: number, cy: number, width: number, height: number): { x: number; y: number; size: number; clipped: { x: number; y: number; w: number; h: number } } {
  const x = cx + 0.5 - rf / 2;
  const y = cy + 0.5 - rf / 2;
  const x0 = Math.max(0, x);
  const y0 = Math.max(0, y);
  const x1 = Math.min(width, x + rf);
  const y1 = Math.min(height, y + rf);
  return { x, y, size: rf, clipped: { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) } };
}
