/**
 * `import <file.pth|.pt|.safetensors> --template <id>`: a torchvision state dict into the template whose layout
 * equals torchvision's, as a lab model folder (modelFolder.ts) with torchvision's ImageNet preprocessing.
 */
import type * as tf from '@tensorflow/tfjs';
import { adaptToDataset } from '../../../shared/graph/adapt';
import { restore } from '../../../shared/graph/restore';
import type { GraphDoc } from '../../../shared/graph/types';
import { templateById } from '../../../shared/templates';
import { TORCHVISION_TEMPLATES } from '../../../shared/templates/torchvision';
import { compile } from '../compile/compile';
import { pyIdent } from '../export/pytorch/export';
import { IMAGENET_PREPROCESSING, writeModelFolder, type ModelFolderInfo, type Preprocessing } from '../modelFolder';
import { applyMatched, describeMismatches, matchStateDict, readStateDictFile, StateDictError, type LoadReport, type StateDict } from './stateDict';

export { TORCHVISION_TEMPLATES };

const HEAD = 'head/classify';

export interface TorchImport {
  graph: GraphDoc;
  model: tf.LayersModel;
  info: ModelFolderInfo;
  preprocessing: Preprocessing;
  report: LoadReport;
}

/** The head's class count in the file (its weight's first axis), when the head's key is found. */
function fileClasses(graph: GraphDoc, state: StateDict): number | undefined {
  const head = graph.nodes.find((n) => n.type === HEAD);
  if (!head?.label) return undefined;
  // torchvision's key (`classifier.3.weight`), or the lab's own files' module name (`classifier_3.weight`).
  const keys = [`${head.label}.weight`, `${pyIdent(head.label)}.weight`];
  for (const [key, t] of state) if (keys.some((k) => key === k || key.endsWith(`.${k}`)) && t.shape.length === 2) return t.shape[0];
  return undefined;
}

/** The state dict in the template's graph; throws a StateDictError with a per-layer report when it does not fit. */
export function importState(state: StateDict, templateId: string, sourceName: string, classNames?: string[]): TorchImport {
  const template = templateById(templateId);
  if (!template || !(templateId in TORCHVISION_TEMPLATES)) {
    throw new StateDictError(`'${templateId}' is not a template with torchvision's layout; use one of ${Object.keys(TORCHVISION_TEMPLATES).join(', ')}`);
  }
  const built = restore(template.build());
  if (!built.ok) throw new StateDictError(`template ${templateId} does not restore`);
  let graph = built.graph;
  const notes: string[] = [];
  const classes = fileClasses(graph, state);
  if (classes !== undefined && classes !== template.classes) {
    graph = adaptToDataset(graph, { name: sourceName, shape: graph.meta.input.shape as [number, number, number], classes }).graph;
    notes.push(`the file's head has ${classes} classes (the template: ${template.classes}); the graph's head follows the file`);
  }
  const { model } = compile(graph, { seed: 0 });
  const { values, report } = matchStateDict(graph, model, state);
  if (report.mismatches.length > 0) {
    model.dispose();
    const head = report.loaded === 0 ? `${sourceName} is not a torchvision ${TORCHVISION_TEMPLATES[templateId]} state dict: none of its ${report.total} tensors matches` : `${sourceName} does not fit ${template.name}: ${report.mismatches.length} of ${report.total} tensors do not match`;
    throw new StateDictError([head, ...describeMismatches(report).map((l) => `  ${l}`)].join('\n'));
  }
  if (report.unused.length) notes.push(`${report.unused.length} tensors of the file are not part of the graph and were left out (${report.unused.slice(0, 5).join(', ')}${report.unused.length > 5 ? ', …' : ''})`);
  applyMatched(model, values);
  const n = classes ?? template.classes;
  const names = classNames && classNames.length === n ? classNames : Array.from({ length: n }, (_, i) => `class ${i}`);
  if (classNames && classNames.length !== n) notes.push(`${classNames.length} class names were given for ${n} outputs; using 'class k'`);
  const info: ModelFolderInfo = {
    format: 'netsmith.model',
    version: 1,
    name: `${template.name} (${sourceName})`,
    task: 'classification',
    classes: names,
    source: `torchvision ${TORCHVISION_TEMPLATES[templateId]} weights from ${sourceName}`,
    notes,
    createdAt: new Date().toISOString(),
  };
  return { graph, model, info, preprocessing: { ...IMAGENET_PREPROCESSING, input: [...graph.meta.input.shape] as [number, number, number] }, report };
}

/** Reads the file, imports it into the template and writes the model folder `outDir`. */
export async function importTorchFile(bytes: Uint8Array, fileName: string, templateId: string, outDir: string, classNames?: string[]): Promise<{ dir: string; imported: TorchImport }> {
  const state = readStateDictFile(bytes, fileName);
  if (state.size === 0) throw new StateDictError(`${fileName} holds no tensors`);
  const imported = importState(state, templateId, fileName, classNames);
  try {
    const dir = await writeModelFolder(outDir, imported.info, imported.graph, imported.preprocessing, imported.model);
    return { dir, imported };
  } catch (err) {
    imported.model.dispose();
    throw err;
  }
}
