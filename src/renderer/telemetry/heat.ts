import { formatNumber } from '../core/format';
import { gradientFlow, GRADIENT_ORDERS } from '../../shared/training/diagnostics';
import type { RunTelemetry } from './run';

/**
 * The graph coloured by gradient norm: each trainable node gets a colour for how its gradient compares with
 * the output end of the network (log10 ratio): blue where the gradient has vanished, green where it is of the
 * same order, red where it has exploded. Computed once per probe and cached.
 */

export interface NodeHeat {
  node: string;
  /** The node's type in the run's graph (the editor colours a node only when it is the same block). */
  type?: string;
  gradNorm: number;
  /** log10(‖g‖ / output-end ‖g‖). */
  orders: number;
  status: 'vanished' | 'low' | 'ok' | 'high' | 'exploded';
  color: string;
  label: string;
  title: string;
}

const STOPS: [number, [number, number, number]][] = [
  [-4, [59, 111, 216]],
  [-2, [38, 160, 190]],
  [0, [63, 182, 122]],
  [1, [224, 164, 58]],
  [2, [229, 72, 77]],
];

/** Colour for a log10 ratio (clamped to [−4, 2]). */
export function heatColor(orders: number): string {
  if (!Number.isFinite(orders)) return `rgb(${STOPS[STOPS.length - 1][1].join(',')})`;
  const o = Math.max(STOPS[0][0], Math.min(STOPS[STOPS.length - 1][0], orders));
  for (let i = 1; i < STOPS.length; i++) {
    const [x1, c1] = STOPS[i];
    const [x0, c0] = STOPS[i - 1];
    if (o <= x1) {
      const t = (o - x0) / (x1 - x0);
      return `rgb(${c0.map((v, k) => Math.round(v + (c1[k] - v) * t)).join(',')})`;
    }
  }
  return `rgb(${STOPS[STOPS.length - 1][1].join(',')})`;
}

export const HEAT_LEGEND = STOPS.map(([o]) => ({ orders: o, color: heatColor(o) }));

/** A norm with two significant digits (formatNumber: exponent notation when huge or tiny, NaN and ∞ as such). */
export const formatNorm = (v: number): string => formatNumber(v, 2);

function statusOf(orders: number, g: number): NodeHeat['status'] {
  if (!Number.isFinite(g) || g >= 1e3 || orders >= GRADIENT_ORDERS) return 'exploded';
  if (orders <= -GRADIENT_ORDERS) return 'vanished';
  if (orders <= -1) return 'low';
  if (orders >= 1) return 'high';
  return 'ok';
}

/**
 * The colours' reference: the largest gradient norm in the last quarter of the layers (the output end). The
 * largest, not the mean, so that in a network whose gradient decays layer by layer the head reads "healthy"
 * and the decay shows as blue towards the input.
 */
export function outputReference(norms: readonly number[]): number {
  const k = Math.max(1, Math.floor(norms.length / 4));
  let m = 0;
  for (const g of norms.slice(norms.length - k)) if (Number.isFinite(g) && g > m) m = g;
  return m > 0 ? m : NaN;
}

const EMPTY = new Map<string, NodeHeat>();
const cache = new WeakMap<RunTelemetry, { version: number; map: Map<string, NodeHeat> }>();

const keys = new WeakMap<object, string>();

/**
 * What makes two graphs the same network for the overlay: the blocks (id, type, params) and the wires; not
 * positions, labels or the name. Cached per document object (documents are immutable).
 */
export function networkKey(graph: unknown): string | undefined {
  const g = graph as { nodes?: unknown; edges?: unknown } | null | undefined;
  if (!g || typeof g !== 'object' || !Array.isArray(g.nodes) || !Array.isArray(g.edges)) return undefined;
  const hit = keys.get(g);
  if (hit !== undefined) return hit;
  const params = (p: Record<string, unknown> = {}) => Object.keys(p).sort().map((k) => `${k}=${JSON.stringify(p[k])}`).join(',');
  const nodes = (g.nodes as { id: string; type: string; params?: Record<string, unknown>; group?: string }[]).map((n) => `${n.id}|${n.type}|${params(n.params)}|${n.group ?? ''}`).sort();
  const edges = (g.edges as { source: string; sourcePort: string; target: string; targetPort: string }[]).map((e) => `${e.source}:${e.sourcePort}>${e.target}:${e.targetPort}`).sort();
  const key = `${nodes.join('\n')}\n--\n${edges.join('\n')}`;
  keys.set(g, key);
  return key;
}

/** Whether a run's gradient colours belong on the editor's document: it trained this very network. */
export function overlayFits(run: RunTelemetry | undefined, doc: unknown): boolean {
  if (!run) return false;
  const a = networkKey(run.meta.graph);
  return a !== undefined && a === networkKey(doc);
}

function graphTypes(graph: unknown): Map<string, string> | undefined {
  const nodes = (graph as { nodes?: { id: string; type: string }[] } | null | undefined)?.nodes;
  return Array.isArray(nodes) ? new Map(nodes.map((n) => [n.id, n.type])) : undefined;
}

export function gradientHeat(run: RunTelemetry | undefined): ReadonlyMap<string, NodeHeat> {
  if (!run || !run.latestProbe) return EMPTY;
  const hit = cache.get(run);
  if (hit && hit.version === run.versions.probes) return hit.map;
  const v = gradientFlow(run.latestProbe.layers);
  const types = graphTypes(run.meta.graph);
  const byNode = new Map<string, number>();
  for (const l of v.layers) byNode.set(l.node, Math.max(byNode.get(l.node) ?? 0, l.gradNorm));
  const map = new Map<string, NodeHeat>();
  const ref = outputReference(v.layers.map((l) => l.gradNorm));
  for (const [node, g] of byNode) {
    const orders = Number.isFinite(ref) ? Math.log10(Math.max(g, 1e-30) / ref) : 0;
    const status = statusOf(orders, g);
    map.set(node, {
      node,
      type: types?.get(node),
      gradNorm: g,
      orders,
      status,
      color: heatColor(orders),
      label: `∇ ${formatNorm(g)}`,
      title: `Gradient norm ‖g‖ = ${formatNorm(g)} at step ${run.latestProbe.step}${Number.isFinite(orders) ? ` (${orders >= 0 ? '+' : ''}${orders.toFixed(1)} orders of magnitude vs the largest at the output end)` : ''}`,
    });
  }
  cache.set(run, { version: run.versions.probes, map });
  return map;
}
