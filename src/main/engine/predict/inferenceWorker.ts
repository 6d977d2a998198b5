/**
 * The inference worker: Predict, Grad-CAM, feature maps and attention maps of trained runs, off the host's main
 * thread (a forward and backward pass takes 0.5–1.4 s on a small CNN, seconds on ViT-B/16). Models and datasets
 * stay loaded here between requests. Started by InferenceClient (inferenceClient.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import { datasetCache } from '../data/registry';
import { attentionMaps } from '../inspect/attention';
import { toLabError } from '../../util/errors';
import { RunStore } from '../../runs/runStore';
import { ensurePredictBackend, MODEL_CACHE_SIZE, Predictor } from './index';
import type { InferenceReply, InferenceRequest, InferenceStart } from './inferenceProtocol';

const port = parentPort!;
const start = workerData as InferenceStart;
const store = new RunStore(start.runsDir);
const datasets = datasetCache(MODEL_CACHE_SIZE);
const predictor = new Predictor(start.runsDir, datasets);

async function answer(req: InferenceRequest): Promise<InferenceReply> {
  try {
    if (req.kind === 'predict') {
      const result = await predictor.predict(req.args);
      return { id: req.id, ok: true, kind: 'predict', result, backend: tf.getBackend() };
    }
    await ensurePredictBackend('wasm');
    const { id, ...opts } = req.args;
    if (!store.has(id)) return { id: req.id, ok: false, error: { message: `no run '${id}'`, code: 'not-found' } };
    const result = await attentionMaps(store.dir(id), opts, datasets);
    return { id: req.id, ok: true, kind: 'attention', result, backend: tf.getBackend() };
  } catch (err) {
    const e = toLabError(err);
    if (e.code === 'internal') console.error(`inference (${req.kind}):`, err);
    return { id: req.id, ok: false, error: { message: e.message, code: e.code } };
  }
}

port.on('message', (req: InferenceRequest) => {
  void answer(req).then((reply) => port.postMessage(reply));
});
