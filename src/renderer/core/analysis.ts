import { analyze, type Analysis } from '../../shared/graph/analyze';
import type { GraphDoc, Issue } from '../../shared/graph/types';

/** The analysis plus lookups the views need, computed once per document version (documents are immutable). */
export interface AnalysisView {
  analysis: Analysis;
  issuesByNode: Map<string, Issue[]>;
  issuesByGroup: Map<string, Issue[]>;
  /** Edges drawn red: an issue names them, or they feed a node whose inputs are wrong. */
  errorEdges: Set<string>;
  errors: number;
  warnings: number;
}

const cache = new WeakMap<GraphDoc, AnalysisView>();
const INPUT_CODES = new Set(['shape', 'arity', 'cycle']);

export function analysisOf(doc: GraphDoc): AnalysisView {
  let v = cache.get(doc);
  if (!v) {
    v = build(doc);
    cache.set(doc, v);
  }
  return v;
}

function safeAnalyze(doc: GraphDoc): Analysis {
  try {
    return analyze(doc);
  } catch (err) {
    // A bug in a block's inferShape must not take the editor down: show it as a problem.
    return {
      nodes: {},
      edges: {},
      groups: {},
      totals: { params: 0, buffers: 0, macs: 0, flops: 0, ops: 0, activations: 0 },
      issues: [{ severity: 'error', code: 'shape', message: `Analysis failed: ${(err as Error).message}` }],
      order: [],
      expanded: { nodes: doc.nodes, edges: doc.edges, origin: new Map(), edgeOrigin: new Map(), issues: [] },
    };
  }
}

function build(doc: GraphDoc): AnalysisView {
  const analysis = safeAnalyze(doc);
  const issuesByNode = new Map<string, Issue[]>();
  const issuesByGroup = new Map<string, Issue[]>();
  const errorEdges = new Set<string>();
  const badInputs = new Set<string>();
  let errors = 0;
  let warnings = 0;
  for (const i of analysis.issues) {
    if (i.severity === 'error') errors++;
    else warnings++;
    if (i.nodeId) (issuesByNode.get(i.nodeId) ?? issuesByNode.set(i.nodeId, []).get(i.nodeId)!).push(i);
    if (i.groupId) (issuesByGroup.get(i.groupId) ?? issuesByGroup.set(i.groupId, []).get(i.groupId)!).push(i);
    if (i.severity === 'error' && i.edgeId) errorEdges.add(i.edgeId);
    if (i.severity === 'error' && i.nodeId && INPUT_CODES.has(i.code)) badInputs.add(i.nodeId);
  }
  for (const e of doc.edges) if (badInputs.has(e.target)) errorEdges.add(e.id);
  return { analysis, issuesByNode, issuesByGroup, errorEdges, errors, warnings };
}
