import type * as tf from '@tensorflow/tfjs';
import type { GraphDoc } from '../../../../shared/graph/types';
import { saveToMemory } from '../../compile/artifacts';
import type { ExportFiles } from '../files';
import { infoFiles, modelInfo, UNKNOWN, readmeSection, type ModelSource } from '../modelInfo';
import { fuseArtifacts } from './fuse';
import { loaderModule } from './loader';

/** The weights of a saved model as one byte array. */
function weightBytes(a: tf.io.ModelArtifacts): Uint8Array {
  const d = a.weightData;
  if (!d) return new Uint8Array(0);
  if (Array.isArray(d)) {
    const total = d.reduce((n, b) => n + b.byteLength, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const b of d) out.set(new Uint8Array(b), (o += b.byteLength) - b.byteLength);
    return out;
  }
  return new Uint8Array(d);
}

const README = `# TensorFlow.js model exported by Netsmith

- model.json + weights.bin: the LayersModel format.
- netsmith-layers.js: registers Netsmith's custom layers; import it before loading.
- labels.txt: the class names, line k = output k; model-info.json: input, preprocessing and classes.

Browser (served folder):

    import * as tf from '@tensorflow/tfjs';
    import './netsmith-layers.js';
    const model = await tf.loadLayersModel('model.json');

Node (no tfjs-node needed):

    import { readFileSync } from 'node:fs';
    import { loadFromFiles } from './netsmith-layers.js';
    const model = await loadFromFiles(readFileSync('model.json', 'utf8'), readFileSync('weights.bin'));
`;

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
  const json = {
    format: 'layers-model',
    generatedBy: 'Netsmith',
    convertedBy: null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
  };
  return {
    'model.json': JSON.stringify(json),
    'weights.bin': weightBytes(artifacts),
    'netsmith-layers.js': loaderModule(),
    ...infoFiles(info),
    'README.md': [
      README,
      ...readmeSection(info),
      ...(graph.meta.task === 'detection'
        ? ['Detection: predict gives the raw YOLO head map of each scale, [batch, H, W, A·(5+K)] laid out (tx, ty, tw, th, objectness, K classes) per anchor. Decoding (sigmoid, anchors, stride) and NMS are not part of the model.\n']
        : []),
      ...(folded > 0 ? [`Conv-BN fusion: ${folded} BatchNorm layer(s) are folded into the conv/dense layer before them (same outputs at inference; for inference, not for further training).\n`] : []),
    ].join('\n'),
  };
}
