import { analyze } from '../graph/analyze';
import type { GraphDoc } from '../graph/types';
import { experimentConfig } from './config';
import type { ConfigPatch, ExperimentDoc, ExperimentInfo, VariantSpec } from './types';

/** A variant's graph, named so its runs and projects are recognisable: `[gradient-flow] Plain 20-layer sigmoid`. */
export function variantGraph(doc: ExperimentDoc, v: VariantSpec): GraphDoc {
  const g = v.graph();
  return { ...g, meta: { ...g.meta, name: `[${doc.id}] ${v.name}`, description: v.description } };
}

/** Parameters and FLOPs per sample (forward pass) from the graph analysis. */
export function graphCost(g: GraphDoc): { params: number; flops: number } {
  const t = analyze(g).totals;
  return { params: t.params, flops: t.flops };
}

/** Everything the gallery shows before running: graphs built, configs resolved, costs computed. */
export function describeExperiment(doc: ExperimentDoc, overrides: ConfigPatch = {}): ExperimentInfo {
  return {
    id: doc.id,
    title: doc.title,
    concept: doc.concept,
    notes: doc.notes,
    claim: doc.claim,
    explanation: doc.explanation,
    formula: doc.formula,
    dataset: doc.dataset,
    kind: doc.kind,
    ...(doc.study ? { study: true as const } : {}),
    metric: doc.metric,
    charts: doc.charts,
    estimatedSeconds: doc.estimatedSeconds,
    variants: doc.variants.map((v) => {
      const graph = variantGraph(doc, v);
      return { id: v.id, name: v.name, description: v.description, graph, config: experimentConfig(doc.config, v.config, overrides), ...graphCost(graph) };
    }),
  };
}

/** The variants as project files (`experiments/<id>/<variant>.netsmith.json`), for "open as projects". */
export function variantProjects(doc: ExperimentDoc): { variant: string; path: string; text: string }[] {
  return doc.variants.map((v) => ({
    variant: v.id,
    path: `experiments/${doc.id}/${v.id}.netsmith.json`,
    text: JSON.stringify({ format: 'netsmith.project', graph: variantGraph(doc, v) }, null, 2) + '\n',
  }));
}
