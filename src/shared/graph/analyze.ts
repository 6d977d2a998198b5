import { blockByType } from '../blocks';
import { parseParams } from '../blocks/params';
import { elements, formatShape } from '../blocks/shapeMath';
import { ShapeError, type AnyBlockDef, type Cost } from '../blocks/types';
import { expandGroups, type ExpandedGraph } from './expand';
import { checkHeads } from './headCheck';
import type { EdgeDoc, GraphDoc, Issue, NodeDoc, Shape } from './types';

export interface NodeInfo {
  output?: Shape;
  inputs: Shape[];
  /** Cost of one copy of this node (a node in a group repeated ×N has N copies). */
  cost?: Cost;
  flops: number;
  /** Output elements per sample, for activation memory. */
  activations: number;
  copies: number;
}

export interface Totals {
  params: number;
  buffers: number;
  macs: number;
  flops: number;
  ops: number;
  /** Sum of every block's output elements per sample (float32 activations kept for backprop). */
  activations: number;
}

export interface Analysis {
  nodes: Record<string, NodeInfo>;
  /** Shape carried by each edge of the document (after expansion, the last copy's output). */
  edges: Record<string, Shape | undefined>;
  groups: Record<string, Totals & { copies: number }>;
  totals: Totals;
  issues: Issue[];
  /** Topological order of the expanded graph. */
  order: string[];
  expanded: ExpandedGraph;
}

export const nodeName = (n: Pick<NodeDoc, 'id' | 'label'>): string => n.label || n.id;
/**
 * Parsed params by the params object: documents are immutable (an edit makes a new params object), so an
 * unchanged node is not re-validated on every analysis — re-inference after an edit costs little more than
 * the shape arithmetic.
 */
const parsedCache = new WeakMap<object, { def: AnyBlockDef; result: ReturnType<typeof parseParams> }>();
function parseCached(def: AnyBlockDef, params: Record<string, unknown>): ReturnType<typeof parseParams> {
  const hit = parsedCache.get(params);
  if (hit && hit.def === def) return hit.result;
  const result = parseParams(def.params, params);
  parsedCache.set(params, { def, result });
  return result;
}

const zeroTotals = (): Totals => ({ params: 0, buffers: 0, macs: 0, flops: 0, ops: 0, activations: 0 });

/** Topological order (Kahn); nodes left over sit on a cycle. */
export function topoSort(nodes: readonly NodeDoc[], edges: readonly EdgeDoc[]): { order: string[]; cyclic: string[] } {
  const indeg = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  const out = new Map<string, string[]>();
  for (const e of edges) {
    if (!indeg.has(e.source) || !indeg.has(e.target)) continue;
    indeg.set(e.target, indeg.get(e.target)! + 1);
    (out.get(e.source) ?? out.set(e.source, []).get(e.source)!).push(e.target);
  }
  const queue = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    order.push(id);
    for (const t of out.get(id) ?? []) {
      const d = indeg.get(t)! - 1;
      indeg.set(t, d);
      if (d === 0) queue.push(t);
    }
  }
  const done = new Set(order);
  return { order, cyclic: nodes.filter((n) => !done.has(n.id)).map((n) => n.id) };
}

/** Shape inference, costs and validation of a whole graph. Pure and fast (ResNet-152 in a few ms). */
export function analyze(graph: GraphDoc): Analysis {
  const expanded = expandGroups(graph);
  const issues: Issue[] = [...expanded.issues];
  const { nodes, edges, origin, edgeOrigin } = expanded;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const originalName = (id: string): string => nodeName(byId.get(origin.get(id) ?? id) ?? { id });
  const report = (issue: Issue, expandedNodeId?: string): void => {
    if (expandedNodeId) {
      const nodeId = origin.get(expandedNodeId) ?? expandedNodeId;
      if (issues.some((i) => i.nodeId === nodeId && i.message === issue.message)) return;
      issue.nodeId = nodeId;
    }
    issues.push(issue);
  };

  const defs = new Map<string, AnyBlockDef>();
  for (const n of nodes) {
    const def = blockByType(n.type);
    if (def) defs.set(n.id, def);
    else report({ severity: 'error', code: 'unknown-block', message: `'${nodeName(n)}' has an unknown block type '${n.type}'` }, n.id);
  }

  const incoming = new Map<string, EdgeDoc[]>();
  const outgoing = new Map<string, EdgeDoc[]>();
  const liveEdges: EdgeDoc[] = [];
  for (const e of edges) {
    const src = byId.get(e.source);
    const dst = byId.get(e.target);
    const eid = edgeOrigin.get(e.id) ?? e.id;
    if (!src || !dst) {
      issues.push({ severity: 'error', code: 'dangling-edge', edgeId: eid, message: `Edge '${eid}' connects a missing node '${!src ? e.source : e.target}'` });
      continue;
    }
    const sdef = defs.get(src.id);
    const tdef = defs.get(dst.id);
    if (sdef && !sdef.outputs.includes(e.sourcePort)) {
      issues.push({ severity: 'error', code: 'unknown-port', edgeId: eid, nodeId: origin.get(src.id), message: `${sdef.title} '${nodeName(src)}' has no output port '${e.sourcePort}'` });
      continue;
    }
    if (tdef && !tdef.inputs.some((p) => p.name === e.targetPort)) {
      issues.push({ severity: 'error', code: 'unknown-port', edgeId: eid, nodeId: origin.get(dst.id), message: `${tdef.title} '${nodeName(dst)}' has no input port '${e.targetPort}'` });
      continue;
    }
    liveEdges.push(e);
    (incoming.get(e.target) ?? incoming.set(e.target, []).get(e.target)!).push(e);
    (outgoing.get(e.source) ?? outgoing.set(e.source, []).get(e.source)!).push(e);
  }

  const { order, cyclic } = topoSort(nodes, liveEdges);
  if (cyclic.length > 0) {
    const names = [...new Set(cyclic.map(originalName))];
    issues.push({ severity: 'error', code: 'cycle', nodeId: origin.get(cyclic[0]), message: `The graph has a cycle through ${names.map((n) => `'${n}'`).join(', ')}` });
  }

  const outputs = new Map<string, Shape>();
  const info: Record<string, NodeInfo> = {};
  const groupOf = new Map(graph.nodes.map((n) => [n.id, n.group]));
  const groups: Analysis['groups'] = Object.fromEntries(graph.groups.map((g) => [g.id, { ...zeroTotals(), copies: g.repeat }]));
  const totals = zeroTotals();

  for (const id of order) {
    const node = byId.get(id)!;
    const def = defs.get(id);
    const oid = origin.get(id) ?? id;
    const first = oid === id;
    // A copy can come first in the order when a broken graph cuts the chain through its group's earlier copies.
    const ni = (info[oid] ??= { inputs: [], flops: 0, activations: 0, copies: 0 });
    ni.copies += 1;
    if (!def) continue;
    const name = nodeName(node);

    const parsed = parseCached(def, node.params);
    if (!parsed.ok) {
      for (const p of parsed.problems) report({ severity: 'error', code: 'param', param: p.param, message: `${def.title} '${name}': ${p.param} ${p.message}` }, id);
      continue;
    }

    const ins = incoming.get(id) ?? [];
    const inputEdges: EdgeDoc[] = [];
    let arityOk = true;
    for (const port of def.inputs) {
      const connected = ins.filter((e) => e.targetPort === port.name);
      const min = port.variadic ? (port.min ?? 1) : 1;
      if (connected.length < min) {
        arityOk = false;
        report({
          severity: 'error',
          code: connected.length === 0 ? 'unconnected-input' : 'arity',
          message: connected.length === 0 ? `${def.title} '${name}' has nothing connected to its input '${port.name}'` : `${def.title} '${name}' needs at least ${min} inputs, has ${connected.length}`,
        }, id);
      } else if (!port.variadic && connected.length > 1) {
        arityOk = false;
        report({ severity: 'error', code: 'arity', message: `${def.title} '${name}' takes one input on '${port.name}', has ${connected.length}` }, id);
      }
      inputEdges.push(...connected);
    }
    if (!arityOk) continue;
    const inShapes = inputEdges.map((e) => outputs.get(`${e.source}:${e.sourcePort}`));
    if (inShapes.some((s) => s === undefined)) continue; // an upstream problem, reported there
    const shapes = inShapes as Shape[];

    let out: Shape;
    try {
      out = def.inferShape(shapes, parsed.params, {
        graphInput: graph.meta.input.shape,
        task: graph.meta.task,
        describeInput: (i) => `'${originalName(inputEdges[i].source)}' (${formatShape(shapes[i])})`,
      });
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err;
      report({ severity: 'error', code: err.param ? 'param' : 'shape', param: err.param, message: `${def.title} '${name}': ${err.message}` }, id);
      continue;
    }
    for (const port of def.outputs) outputs.set(`${id}:${port}`, out);

    const cost = def.cost(shapes, out, parsed.params);
    const acts = elements(out);
    if (first) {
      ni.output = out;
      ni.inputs = shapes;
      ni.cost = cost;
      ni.flops = 2 * cost.macs;
      ni.activations = acts;
    }
    const add = (t: Totals): void => {
      t.params += cost.params;
      t.buffers += cost.buffers ?? 0;
      t.macs += cost.macs;
      t.flops += 2 * cost.macs;
      t.ops += cost.ops;
      t.activations += acts;
    };
    add(totals);
    const g = groupOf.get(oid);
    if (g && groups[g]) add(groups[g]);
  }

  const edgeShapes: Record<string, Shape | undefined> = {};
  for (const e of liveEdges) edgeShapes[edgeOrigin.get(e.id) ?? e.id] = outputs.get(`${e.source}:${e.sourcePort}`);

  checkEndpoints(graph, nodes, defs, outgoing, incoming, origin, issues);
  const heads = checkHeads({ task: graph.meta.task, graphInput: graph.meta.input.shape, nodes, defs, incoming, outgoing, outputOf: (id) => outputs.get(`${id}:${defs.get(id)?.outputs[0]}`), nameOf: originalName });
  for (const h of heads) report(h.issue, h.node);
  return { nodes: info, edges: edgeShapes, groups, totals, issues, order, expanded };
}

function checkEndpoints(
  graph: GraphDoc,
  nodes: readonly NodeDoc[],
  defs: Map<string, AnyBlockDef>,
  outgoing: Map<string, EdgeDoc[]>,
  incoming: Map<string, EdgeDoc[]>,
  origin: Map<string, string>,
  issues: Issue[],
): void {
  if (graph.nodes.length === 0) return;
  const inputs = nodes.filter((n) => defs.get(n.id)?.family === 'io' && defs.get(n.id)!.inputs.length === 0);
  if (inputs.length === 0) issues.push({ severity: 'error', code: 'no-input', message: 'The graph has no Input block' });
  const sinks = nodes.filter((n) => !outgoing.has(n.id) && !(defs.get(n.id)?.inputs.length === 0));
  if (sinks.length === 0 && inputs.length > 0) {
    const layers = nodes.filter((n) => !(defs.get(n.id)?.inputs.length === 0));
    issues.push({
      severity: 'error',
      code: 'no-output',
      message:
        layers.length === 0
          ? 'The graph has only an Input: add layers after it (e.g. Flatten → Dense) so it has an output'
          : 'The graph has no output: every block feeds another one (a connection loops back)',
    });
  }
  const heads = sinks.filter((n) => { const f = defs.get(n.id)?.family; return f === 'head' || f === 'detection'; });
  if (sinks.length > 1 && heads.length > 0) {
    for (const s of sinks) {
      if (heads.includes(s)) continue;
      const oid = origin.get(s.id) ?? s.id;
      if (issues.some((i) => i.code === 'unused-output' && i.nodeId === oid)) continue;
      issues.push({ severity: 'warning', code: 'unused-output', nodeId: oid, message: `The output of '${nodeName(s)}' is not used` });
    }
  }
  // Blocks not fed (transitively) by an Input never receive data.
  const reached = new Set(inputs.map((n) => n.id));
  const stack = [...reached];
  while (stack.length) for (const e of outgoing.get(stack.pop()!) ?? []) if (!reached.has(e.target)) { reached.add(e.target); stack.push(e.target); }
  if (inputs.length > 0) {
    for (const n of nodes) {
      if (reached.has(n.id) || !incoming.has(n.id)) continue;
      const oid = origin.get(n.id) ?? n.id;
      if (issues.some((i) => i.code === 'unreachable' && i.nodeId === oid)) continue;
      issues.push({ severity: 'warning', code: 'unreachable', nodeId: oid, message: `'${nodeName(n)}' is not connected to the Input` });
    }
  }
}

export const errorsOf = (a: Pick<Analysis, 'issues'>): Issue[] => a.issues.filter((i) => i.severity === 'error');

/**
 * Errors that stop building the model. A head that does not fit the task stops training (errorsOf) but not
 * compiling, exporting or inspecting: a network without its head is still a network.
 */
export const buildErrorsOf = (a: Pick<Analysis, 'issues'>): Issue[] => a.issues.filter((i) => i.severity === 'error' && i.code !== 'head');
