/**
 * Learning-rate multipliers (NodeDoc.lrMultiplier): a block trains at lr × its multiplier (discriminative
 * fine-tuning: a pretrained backbone at ×0.1, the new head at ×1). 1 is the default and is not stored; 0 is not
 * a multiplier but freezing (NodeDoc.frozen), so it is refused with that hint.
 */
import { z } from 'zod';
import type { Analysis } from './analyze';
import { upstreamOf } from './freeze';
import type { GraphDoc, NodeDoc } from './types';

export const MAX_LR_MULTIPLIER = 1000;

export const lrMultiplierSchema = z
  .number({ error: 'the learning-rate multiplier must be a finite number' })
  .refine((m) => m !== 0, 'a learning-rate multiplier of 0 is freezing: use Freeze instead')
  .refine((m) => m > 0, 'the learning-rate multiplier must be greater than 0')
  .refine((m) => m <= MAX_LR_MULTIPLIER, `the learning-rate multiplier must be at most ${MAX_LR_MULTIPLIER}`);

/** A multiplier typed by the user ("0.1", "×0.1", "1e-2"): its value, or why it is refused. */
export function parseLrMultiplier(text: string): { ok: true; value: number } | { ok: false; error: string } {
  const t = text.trim().replace(/^[×x*]\s*/i, '');
  if (!t) return { ok: false, error: 'type a number, e.g. 0.1 (1 = the run’s rate)' };
  const r = lrMultiplierSchema.safeParse(Number(t));
  return r.success ? { ok: true, value: r.data } : { ok: false, error: r.error.issues[0].message };
}

/** The node's multiplier (1 when not set). */
export const lrMultiplierOf = (n: Pick<NodeDoc, 'lrMultiplier'>): number => n.lrMultiplier ?? 1;

/** The graph with the multiplier set on these nodes (1 removes the field). Throws on an invalid multiplier. */
export function setLrMultiplier(graph: GraphDoc, ids: Iterable<string>, multiplier: number): GraphDoc {
  const m = lrMultiplierSchema.parse(multiplier);
  const set = new Set(ids);
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      if (!set.has(n.id)) return n;
      const { lrMultiplier: _old, ...rest } = n;
      return m === 1 ? rest : { ...rest, lrMultiplier: m };
    }),
  };
}

/** Nodes with weights (a multiplier on the others would mean nothing and only clutter the summary). */
export const withWeights = (analysis: Analysis, ids: Iterable<string>): string[] => [...ids].filter((id) => (analysis.nodes[id]?.cost?.params ?? 0) > 0);

/** Sets the multiplier on the node and every node before it that has weights ("everything up to here"). */
export const lrMultiplierUpTo = (graph: GraphDoc, analysis: Analysis, id: string, multiplier: number): GraphDoc => setLrMultiplier(graph, withWeights(analysis, upstreamOf(graph, id)), multiplier);

/** "×0.1" — short, for badges and summaries (up to 3 significant digits). */
export const formatLrMultiplier = (m: number): string => `×${Number(m.toPrecision(3))}`;

export interface LrMultiplierUse {
  multiplier: number;
  /** Blocks (graph nodes, not copies) that train at this multiplier. */
  blocks: number;
}

/** The multipliers other than 1 used by the graph's unfrozen blocks, most blocks first. */
export function lrMultiplierUses(nodes: readonly Pick<NodeDoc, 'lrMultiplier' | 'frozen'>[]): LrMultiplierUse[] {
  const count = new Map<number, number>();
  for (const n of nodes) {
    const m = n?.lrMultiplier;
    if (typeof m !== 'number' || !Number.isFinite(m) || m <= 0 || m === 1 || n.frozen) continue;
    count.set(m, (count.get(m) ?? 0) + 1);
  }
  return [...count].map(([multiplier, blocks]) => ({ multiplier, blocks })).sort((a, b) => b.blocks - a.blocks || a.multiplier - b.multiplier);
}

/** "lr ×0.1 on 12 blocks, ×10 on 1 block" (empty when every block trains at the run's rate). */
export function describeLrMultipliers(uses: readonly LrMultiplierUse[]): string {
  if (!uses.length) return '';
  return `lr ${uses.map((u) => `${formatLrMultiplier(u.multiplier)} on ${u.blocks} ${u.blocks === 1 ? 'block' : 'blocks'}`).join(', ')}`;
}
