import { blockByType, parseParams, type AnyBlockDef } from '../../../shared/blocks';
import type { Analysis, NodeInfo } from '../../../shared/graph/analyze';
import type { EdgeDoc, NodeDoc } from '../../../shared/graph/types';
import { ENGINE_BLOCKS } from '../blocks';
import type { EngineBlock, NodeRef } from '../blocks/types';

/** The params of a node of the expanded graph, parsed (defaults filled). Only for a graph whose analysis has no errors. */
export function nodeParams(node: NodeDoc): Record<string, unknown> {
  const parsed = parseParams(blockByType(node.type)!.params, node.params);
  if (!parsed.ok) throw new Error(`unreachable: params of '${node.id}' passed analysis but not parsing`);
  return parsed.params;
}

/** One node of the expanded graph, as walkExpanded hands it to a backend (compiler, ONNX or PyTorch exporter). */
export interface WalkStep<T> {
  /** Expanded node id (`conv1`, `conv1#2` for a second copy in a repeated group). */
  id: string;
  /** The document node it is a copy of (the key of analysis.nodes, the nodeId of an issue). */
  oid: string;
  node: NodeDoc;
  def: AnyBlockDef;
  /** Parsed params (defaults filled). */
  params: Record<string, unknown>;
  /** The engine twin of the block; a backend checks beforehand that it has what it needs. */
  twin: EngineBlock;
  /** The values arriving at the node: the BlockDef's input ports in order, several edges into one port in edge order. */
  inputs: T[];
  /** What the analysis inferred for the node (input and output shapes, batch `null`). */
  info: NodeInfo;
  /** The node as a twin sees it: id and label. */
  ref: NodeRef;
}

export interface Walked<T> {
  /**
   * The model's outputs, as every backend picks them: the nodes of the head or detection family that feed
   * nothing, else every node with inputs that feeds nothing; each with the value on its first output port.
   */
  outputs: { node: NodeDoc; value: T }[];
}

/**
 * Visits every node of the expanded graph (analysis.expanded) in topological order: `visit` gets the node with
 * its parsed params, engine twin, analysis info and the values its producers returned, and returns the node's
 * value, which then stands on each of its output ports. The analysis must have no errors.
 */
export function walkExpanded<T>(analysis: Analysis, visit: (step: WalkStep<T>) => T): Walked<T> {
  const { nodes, edges, origin } = analysis.expanded;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, EdgeDoc[]>();
  const outgoing = new Set<string>();
  for (const e of edges) {
    (incoming.get(e.target) ?? incoming.set(e.target, []).get(e.target)!).push(e);
    outgoing.add(e.source);
  }
  const portKey = (node: string, port: string): string => `${node}:${port}`;
  const values = new Map<string, T>();

  for (const id of analysis.order) {
    const node = byId.get(id)!;
    const def = blockByType(node.type)!;
    const params = nodeParams(node);
    const oid = origin.get(id) ?? id;
    const ins = incoming.get(id) ?? [];
    const inputs = def.inputs.flatMap((port) => ins.filter((e) => e.targetPort === port.name)).map((e) => values.get(portKey(e.source, e.sourcePort))!);
    const twin = ENGINE_BLOCKS[node.type];
    if (!twin) throw new Error(`unreachable: no engine twin for '${node.type}' ('${id}')`);
    const ref: NodeRef = { id, ...(node.label ? { label: node.label } : {}) };
    const value = visit({ id, oid, node, def, params, twin, inputs, info: analysis.nodes[oid], ref });
    for (const port of def.outputs) values.set(portKey(id, port), value);
  }

  const sinks = nodes.filter((n) => !outgoing.has(n.id) && (blockByType(n.type)?.inputs.length ?? 0) > 0);
  const heads = sinks.filter((n) => ['head', 'detection'].includes(blockByType(n.type)!.family));
  const outNodes = heads.length > 0 ? heads : sinks;
  return { outputs: outNodes.map((node) => ({ node, value: values.get(portKey(node.id, blockByType(node.type)!.outputs[0]))! })) };
}
