import { blockByType } from '../../shared/blocks';
import { formatShape } from '../../shared/blocks/shapeMath';
import type { GraphDoc, Shape } from '../../shared/graph/types';
import { groupBoundary } from '../../shared/graph/expand';
import { analysisOf } from './analysis';
import { connect, downstream, type Connection } from './graphOps';

export type ConnectCheck = { ok: true; replaces?: string } | { ok: false; reason: string };

/** Structural checks done while the user drags a connection: ports exist, no self-loop, no cycle. */
export function canConnect(doc: GraphDoc, c: Connection): ConnectCheck {
  if (c.source === c.target) return { ok: false, reason: 'A block cannot feed itself' };
  const src = doc.nodes.find((n) => n.id === c.source);
  const dst = doc.nodes.find((n) => n.id === c.target);
  if (!src || !dst) return { ok: false, reason: 'Unknown block' };
  const sdef = blockByType(src.type);
  const tdef = blockByType(dst.type);
  if (!sdef?.outputs.includes(c.sourcePort)) return { ok: false, reason: `${sdef?.title ?? src.type} has no output '${c.sourcePort}'` };
  const port = tdef?.inputs.find((p) => p.name === c.targetPort);
  if (!port) return { ok: false, reason: `${tdef?.title ?? dst.type} has no input '${c.targetPort}'` };
  if (doc.edges.some((e) => e.source === c.source && e.sourcePort === c.sourcePort && e.target === c.target && e.targetPort === c.targetPort)) {
    return { ok: false, reason: 'Already connected' };
  }
  if (downstream(doc, c.target).has(c.source)) return { ok: false, reason: 'This connection would create a cycle' };
  if (!port.variadic) {
    const old = doc.edges.find((e) => e.target === c.target && e.targetPort === c.targetPort);
    if (old) return { ok: true, replaces: old.source };
  }
  return { ok: true };
}

export interface ConnectPreview {
  ok: boolean;
  /** The shape flowing through the new edge. */
  shape?: string;
  /** The target's output shape once connected. */
  result?: string;
  /** Why the connection is refused, or the shape problem it would cause (allowed, shown in red). */
  message?: string;
  warning?: boolean;
}

/** What connecting would do: the tensor shape carried, and whether the target can take it. */
export function previewConnection(doc: GraphDoc, c: Connection): ConnectPreview {
  const check = canConnect(doc, c);
  if (!check.ok) return { ok: false, message: check.reason };
  const before = analysisOf(doc).analysis;
  const shape = before.nodes[c.source]?.output;
  const trial = analysisOf(connect(doc, c));
  const problem = (trial.issuesByNode.get(c.target) ?? []).find((i) => i.severity === 'error' && (i.code === 'shape' || i.code === 'param'));
  const out: Shape | undefined = trial.analysis.nodes[c.target]?.output;
  return {
    ok: true,
    shape: shape ? formatShape(shape) : undefined,
    result: out ? formatShape(out) : undefined,
    message: problem ? problem.message : check.replaces ? `replaces the input from '${check.replaces}'` : undefined,
    warning: !!problem,
  };
}

/** A connection drawn on the canvas, in view ids (a collapsed group is `group:<id>`), mapped to document ports. */
export function resolveViewConnection(
  doc: GraphDoc,
  c: { source: string | null; sourceHandle?: string | null; target: string | null; targetHandle?: string | null },
): { ok: true; connection: Connection } | { ok: false; reason: string } {
  if (!c.source || !c.target) return { ok: false, reason: 'Incomplete connection' };
  if (c.target.startsWith('group:')) return { ok: false, reason: 'Expand the group to connect into it' };
  let source = c.source;
  let sourcePort = c.sourceHandle ?? 'out';
  if (source.startsWith('group:')) {
    const exit = groupBoundary(doc, source.slice(6)).exit;
    if (!exit) return { ok: false, reason: 'The group has no single output' };
    source = exit.node;
    sourcePort = exit.port;
  }
  const targetPort = c.targetHandle ?? blockByType(doc.nodes.find((n) => n.id === c.target)?.type ?? '')?.inputs[0]?.name ?? 'in';
  return { ok: true, connection: { source, sourcePort, target: c.target, targetPort } };
}
