import { blockByType } from '../../../../src/shared/blocks';
import { analyze } from '../../../../src/shared/graph/analyze';
import { GraphBuilder, type Ref } from '../../../../src/shared/graph/builder';
import type { GraphDoc, Task } from '../../../../src/shared/graph/types';

/** Minimal graphs for the block contract: Input → [adapter] → block → a head fitting the block's output. */

export type Build = (b: GraphBuilder, x: Ref) => Ref;

export interface Case {
  params?: Record<string, unknown>;
  /** Per-sample input `[H, W, C]` (default 8×8×4). */
  input?: number[];
  /** Adapter between the input and the block (e.g. Patch Embed before attention). */
  before?: Build;
  /** Builds the block itself when it needs more than one input. */
  build?: Build;
  task?: Task;
  name?: string;
}

/** Adapter: image → tokens (Patch Embed), for blocks that take a sequence or run on one. */
export const tokens: Build = (b, x) => b.add('tfm/patch_embed', { patch: 2, dim: 8 }, x);
/** Builds a two-input block on the input and a 1×1 conv of it. */
export const pair = (type: string, params: Record<string, unknown> = {}): Build => (b, x) => b.add(type, params, [x, b.add('core/conv2d', { filters: 4, kernel: 1 }, x)]);

/**
 * A unit's test contract (src/blocks/<unit>/contract.ts, collected by tests/unit/blocks/contracts.ts):
 * - `pins`: every block type of the unit with the names of all its params. The catalog test checks each block has
 *   (at least) these params, the names the templates are written against; the twin contract test checks the params
 *   equal them, so a block gaining a param fails there and its engine twin gets updated (and a case added) instead
 *   of silently ignoring the new param.
 * - `cases`: contract cases per block type, replacing the single default-params case `{}`; list `{}` first unless
 *   the defaults cannot fit a small input.
 */
export interface UnitContract {
  pins: Readonly<Record<string, readonly string[]>>;
  cases?: Readonly<Record<string, Case[]>>;
}

/** Input → [adapter] → block → a head fitting the block's output rank. */
export function caseGraph(type: string, c: Case): { graph: GraphDoc; node: string } {
  const make = (withHead: boolean) => {
    const b = new GraphBuilder({ name: 'contract', input: c.input ?? [8, 8, 4], task: c.task });
    let x = b.input();
    if (c.before) x = c.before(b, x);
    const y = type === 'io/input' ? x : c.build ? c.build(b, x) : b.add(type, c.params ?? {}, x);
    if (withHead) head(b, y);
    return { b, y };
  };
  let rank = 0;
  const head = (b: GraphBuilder, y: Ref) => {
    const family = blockByType(type)?.family;
    if (family === 'head' || family === 'detection') return;
    if (rank === 4) b.add('head/segment', { classes: 3 }, y);
    else if (rank === 3) b.add('head/classify', { classes: 3 }, b.add('tfm/cls_pool', { mode: 'mean' }, y));
    else b.add('head/classify', { classes: 3 }, y);
  };
  const partial = make(false);
  const a = analyze(partial.b.build());
  rank = a.nodes[partial.y.node]?.output?.length ?? 0;
  const full = make(true);
  return { graph: full.b.build(), node: full.y.node };
}

export function caseName(c: Case, i: number): string {
  return c.name ?? (i === 0 ? 'defaults' : JSON.stringify(c.params ?? {}));
}
