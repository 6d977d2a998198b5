import type * as tf from '@tensorflow/tfjs';
import type { GraphDoc } from '../../../../shared/graph/types';
import { weightBytes } from '../../../runs/checkpoints';
import { saveToMemory } from '../../compile/artifacts';
import type { ExportFiles } from '../files';
import { infoFiles, modelInfo, UNKNOWN, readmeSection, type ModelSource } from '../modelInfo';
import { fuseArtifacts } from './fuse';
import { loaderModule } from './loader';
import { customLayerClasses, withStockInitializers } from './stock';

/** How to load the export: stock TF.js when every layer is stock, else with netsmith-layers.js (naming the layers). */
function loadingSection(custom: string[]): string {
  const files = `# TensorFlow.js model exported by Netsmith

- model.json + weights.bin: the LayersModel format.
- netsmith-layers.js: Netsmith's custom layer classes (and \`loadFromFiles\` for Node without tfjs-node).
- labels.txt: the class names, line k = output k; model-info.json: input, preprocessing and classes.
`;
  const node = `Node (no tfjs-node needed):

    import { readFileSync } from 'node:fs';
    import { loadFromFiles } from './netsmith-layers.js';
    const model = await loadFromFiles(readFileSync('model.json', 'utf8'), readFileSync('weights.bin'));
`;
  if (custom.length === 0) {
    return `${files}
Every layer of this model is a stock TF.js layer: stock \`tf.loadLayersModel\` loads it, without netsmith-layers.js.

Browser (served folder):

    import * as tf from '@tensorflow/tfjs';
    const model = await tf.loadLayersModel('model.json');

${node}`;
  }
  return `${files}
This model uses Netsmith layers that stock TF.js does not have, so import netsmith-layers.js before loading:
${custom.map((c) => `- \`${c}\``).join('\n')}

Browser (served folder):

    import * as tf from '@tensorflow/tfjs';
    import './netsmith-layers.js';
    const model = await tf.loadLayersModel('model.json');

${node}`;
}

/**
 * model.json (one weight file), weights.bin, the loader module, model-info.json, labels.txt and a README, for a
 * model compiled from `graph`; with `fuseBatchNorm`, the BatchNorm layers that fold are folded into the layer
 * before them (fuse.ts).
 */
export async function tfjsFiles(graph: GraphDoc, model: tf.LayersModel, options: { fuseBatchNorm?: boolean; source?: ModelSource } = {}): Promise<ExportFiles> {
  const info = modelInfo(graph, options.source ?? { dataset: UNKNOWN }, 'NHWC');
  let artifacts = await saveToMemory(model);
  let folded = 0;
  if (options.fuseBatchNorm) ({ artifacts, folded } = await fuseArtifacts(graph, model, artifacts));
  // Kernels name stock initializers, so a model of stock layers loads without netsmith-layers.js.
  const topology = withStockInitializers(artifacts.modelTopology);
  const json = {
    format: 'layers-model',
    generatedBy: 'Netsmith',
    convertedBy: null,
    modelTopology: topology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
  };
  return {
    'model.json': JSON.stringify(json),
    'weights.bin': weightBytes(artifacts.weightData),
    'netsmith-layers.js': loaderModule(),
    ...infoFiles(info),
    'README.md': [
      loadingSection(customLayerClasses(topology)),
      ...readmeSection(info),
      ...(graph.meta.task === 'detection'
        ? ['Detection: predict gives the raw YOLO head map of each scale, [batch, H, W, A·(5+K)] laid out (tx, ty, tw, th, objectness, K classes) per anchor. Decoding (sigmoid, anchors, stride) and NMS are not part of the model.\n']
        : []),
      ...(folded > 0 ? [`Conv-BN fusion: ${folded} BatchNorm layer(s) are folded into the conv/dense layer before them (same outputs at inference; for inference, not for further training).\n`] : []),
    ].join('\n'),
  };
}
