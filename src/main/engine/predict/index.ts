/**
 * Predictions of a trained run on one image, in the inference worker (inferenceWorker.ts; the CLI runs it in its own process): top-k classes (or boxes after NMS, or a
 * class mask), a Grad-CAM heatmap and a layer's feature maps. Models stay loaded per run (the two most recently
 * used), so repeated predictions skip the checkpoint load.
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureMaps, GradCam, PredictArgs, PredictBox, PredictClass, PredictResult } from '../../../shared/predict';
import { predictArgsSchema } from '../../../shared/predict';
import { blockByType } from '../../../shared/blocks';
import type { BackendPreference } from '../backend/select';
import { datasetCache } from '../data/registry';
import { detectionsOf } from '../detect/predict';
import { levelSize } from '../detect/levels';
import { PredictError } from './errors';
import { gradCam, applyWithHooks } from './gradcam';
import { bytesOfDataUrl, prepareUpload } from './image';
import { loadRunModel, type DatasetLoader, type LoadedRun } from './model';
import { RunStore } from '../../runs/runStore';
import { pngDataUrl } from '../data/image/encode';
import { blend, classColor, displayScale, enlarge, featureGrid, heatmapRgb, toRgb } from './render';

export { PredictError } from './errors';
export { gradCam, applyWithHooks, normalise } from './gradcam';
export { preprocess, decodeForPredict, prepareUpload, bytesOfDataUrl, normalizeUint8 } from './image';
export type { LoadedRun } from './model';

/** Runs kept loaded. */
export const MODEL_CACHE_SIZE = 2;

/** Datasets loaded for predictions, when the caller brings no cache of its own. */
function defaultDatasets(): DatasetLoader {
  return datasetCache(MODEL_CACHE_SIZE);
}

/**
 * The predicting thread picks its backend once, on its first prediction: wasm (XNNPACK + our kernels) by default,
 * which runs a small CNN's forward and Grad-CAM pass in tens of ms on one core; the auto order after it if it
 * fails. 'current' keeps whatever backend the process already uses (tests). The backend module is imported
 * here, not at the top: importing it registers wasm as the preferred backend, and tfjs code elsewhere in the host
 * (export) would then find an uninitialised backend.
 */
let backendChoice: Promise<unknown> | undefined;
export function ensurePredictBackend(prefer: BackendPreference | 'current'): Promise<unknown> {
  if (prefer === 'current') return tf.ready();
  backendChoice ??= import('../backend/select').then(({ selectBackend }) => selectBackend({ prefer })).catch(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });
  return backendChoice;
}

export interface PredictInput extends Omit<PredictArgs, 'image'> {
  image: { dataUrl?: string; bytes?: Uint8Array; name?: string; sampleIndex?: number };
}

export class Predictor {
  private readonly cache = new Map<string, Promise<LoadedRun>>();
  private readonly datasets: DatasetLoader;
  private readonly store: RunStore;

  /** `runsDir`: the folder of run folders; `datasets`: a shared dataset cache (the host's previews use one). */
  constructor(
    runsDir: string,
    datasets?: DatasetLoader,
    private readonly backend: BackendPreference | 'current' = 'wasm',
  ) {
    this.datasets = datasets ?? defaultDatasets();
    this.store = new RunStore(runsDir);
  }

  /** The run's model (loaded once; reloaded when its checkpoint changed on disk). */
  async load(id: string, checkpoint?: string): Promise<LoadedRun> {
    await ensurePredictBackend(this.backend);
    const record = await this.store.read(id);
    const ck = await this.store.pickCheckpoint(record, checkpoint, 'predict');
    const key = `${id}/${ck.stamp}`;
    let entry = this.cache.get(key);
    if (entry) {
      this.cache.delete(key);
      this.cache.set(key, entry);
      return entry;
    }
    for (const [k, old] of this.cache)
      if (k.startsWith(`${id}/`)) {
        this.cache.delete(k);
        retire(old);
      }
    entry = loadRunModel(record, ck, this.datasets);
    entry.catch(() => this.cache.delete(key));
    this.cache.set(key, entry);
    while (this.cache.size > MODEL_CACHE_SIZE) {
      const [k, old] = this.cache.entries().next().value!;
      this.cache.delete(k);
      retire(old);
    }
    return entry;
  }

  async predict(input: PredictInput): Promise<PredictResult> {
    const t0 = performance.now();
    const { image, ...rest } = input;
    const args = predictArgsSchema.omit({ image: true }).parse(rest);
    const given = [image.dataUrl, image.bytes, image.sampleIndex].filter((v) => v !== undefined).length;
    if (given !== 1) throw new PredictError('give one image: a file, a data URL or a validation sample index', 'not-image');
    const run = await this.load(args.id, args.checkpoint);
    return predictWith(run, { ...args, bytes: image.bytes, dataUrl: image.dataUrl, name: image.name, sampleIndex: image.sampleIndex }, t0);
  }

  dispose(): void {
    for (const entry of this.cache.values()) void entry.then((m) => m.dispose(), () => undefined);
    this.cache.clear();
  }
}

/**
 * Disposes an evicted model after the current turn: a prediction that already holds it runs synchronously
 * once its load resolves, so it finishes before a timer fires.
 */
function retire(entry: Promise<LoadedRun>): void {
  setTimeout(() => void entry.then((m) => m.dispose(), () => undefined), 0);
}

interface Request {
  bytes?: Uint8Array;
  dataUrl?: string;
  name?: string;
  sampleIndex?: number;
  classIndex?: number;
  gradcamLayer?: string;
  layer?: string;
  top: number;
  channels: number;
}

/** The prediction, Grad-CAM and feature maps of one image with a loaded run. */
export async function predictWith(run: LoadedRun, req: Request, t0 = performance.now()): Promise<PredictResult> {
  const { dataset, inputShape, model } = run;
  const [h, w, c] = inputShape;
  const classes = dataset.info.classes;
  const task = run.graph.meta.task;

  // The image, preprocessed as the run's dataset.
  let input: Float32Array;
  let pixels: Uint8Array;
  let source: PredictResult['source'];
  if (req.sampleIndex !== undefined) {
    const val = dataset.split('val');
    if (req.sampleIndex >= val.length) throw new PredictError(`validation sample ${req.sampleIndex} does not exist (${dataset.info.name} has ${val.length})`, 'bad-sample');
    if (dataset.info.shape.join('×') !== inputShape.join('×')) throw new PredictError(`the model takes ${inputShape.join('×')} images but ${dataset.info.name} has ${dataset.info.shape.join('×')}`, 'unsupported');
    input = val.image(req.sampleIndex);
    pixels = val.rawImage(req.sampleIndex).slice();
    const label = val.label(req.sampleIndex);
    source = { width: w, height: h, sampleIndex: req.sampleIndex, label, ...(label >= 0 ? { labelName: classes[label] } : {}) };
  } else {
    const name = req.name ?? 'the image';
    const bytes = req.bytes ?? bytesOfDataUrl(req.dataUrl ?? '', name);
    const img = await prepareUpload(bytes, name, inputShape, dataset.norm, run.resizeShorter);
    ({ input, pixels } = img);
    source = { width: img.width, height: img.height, ...(req.name ? { name: req.name } : {}) };
  }

  for (const [what, name] of [['Grad-CAM', req.gradcamLayer], ['feature-map', req.layer]] as const)
    if (name !== undefined && !run.layers.some((l) => l.name === name))
      throw new PredictError(`no spatial layer '${name}' for the ${what} view; pick one of ${run.layers.map((l) => l.name).join(', ') || '(none)'}`, 'bad-layer');
  if (req.classIndex !== undefined && req.classIndex >= classes.length)
    throw new PredictError(`class ${req.classIndex} does not exist (${classes.length} classes)`, 'bad-class');

  const k = displayScale(h, w);
  const dispH = h * k;
  const dispW = w * k;
  const shown = toRgb(enlarge(pixels, h, w, c, k), c);
  const result: PredictResult = {
    runId: run.record.id,
    checkpoint: run.checkpoint,
    task,
    inputShape,
    image: pngDataUrl(shown, dispH, dispW, 3),
    display: { width: dispW, height: dispH },
    source,
    classes,
    layers: run.layers,
    attention: run.graph.nodes.some((n) => blockByType(n.type)?.attention === true),
    ...(run.defaultGradcam ? { defaultGradcamLayer: run.defaultGradcam } : {}),
    ms: 0,
  };

  const x = tf.tensor4d(input, [1, h, w, c]);
  try {
    // Forward pass, with the feature-map layer's output captured.
    const featureLayer = req.layer ?? run.defaultFeatures;
    const { outputs, captured } = applyWithHooks(model, x, { capture: featureLayer ? [featureLayer] : [] });
    let camClass: number;
    try {
      if (task === 'classification') {
        const probs = tf.tidy(() => tf.softmax(outputs[0].reshape([1, -1])).dataSync() as Float32Array);
        const order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a] || a - b);
        result.top = order.slice(0, req.top).map((i): PredictClass => ({ index: i, name: classes[i] ?? `class ${i}`, probability: probs[i] }));
        camClass = req.classIndex ?? order[0];
      } else if (task === 'detection') {
        const det = run.detector!;
        const raw = await det.decoder.decode(outputs);
        const kept = detectionsOf(raw, 0, det.options.nms).filter((d) => d.score >= det.options.displayScore);
        result.boxes = kept.map((d): PredictBox => ({ cls: d.cls, name: classes[d.cls] ?? `class ${d.cls}`, score: d.score, box: d.box }));
        result.scoreThreshold = det.options.displayScore;
        camClass = req.classIndex ?? kept[0]?.cls ?? 0;
      } else {
        const logits = outputs[0] as tf.Tensor4D;
        const ids = tf.tidy(() => tf.image.resizeBilinear(logits, [h, w]).argMax(-1).dataSync() as Int32Array);
        const rgb = new Uint8Array(h * w * 3);
        for (let p = 0; p < ids.length; p++) rgb.set(classColor(ids[p]), p * 3);
        const mask = blend(shown, enlarge(rgb, h, w, 3, k), 0.55);
        result.mask = pngDataUrl(mask, dispH, dispW, 3);
        const area = new Array<number>(classes.length).fill(0);
        for (const id of ids) area[id]++;
        const fg = area.map((a, i) => [a, i]).filter(([, i]) => i > 0).sort((a, b) => b[0] - a[0]);
        result.top = fg.filter(([a]) => a > 0).slice(0, req.top).map(([a, i]) => ({ index: i, name: classes[i], probability: a / ids.length }));
        camClass = req.classIndex ?? fg[0]?.[1] ?? 0;
      }
      if (featureLayer) {
        const act = captured.get(featureLayer)!;
        const [, fh, fw, fc] = act.shape;
        const grid = featureGrid(act.dataSync() as Float32Array, fh, fw, fc, req.channels);
        result.featureMaps = { layer: featureLayer, shape: [fh, fw, fc], shown: Math.min(req.channels, fc), grid: grid.png, cols: grid.cols, rows: grid.rows, ranges: grid.ranges } satisfies FeatureMaps;
      }
    } finally {
      tf.dispose([...outputs, ...captured.values()]);
    }

    // Grad-CAM for the chosen class.
    const camLayer = req.gradcamLayer ?? run.defaultGradcam;
    if (!camLayer) result.gradcamNote = 'no spatial layer to explain (the network has no convolutional feature map)';
    else {
      const cam = gradCam(model, x, camLayer, (outs) => classScore(run, outs, camClass));
      const heat = heatmapRgb(cam.heat, cam.rows, cam.cols, dispH, dispW);
      const gc: GradCam = {
        classIndex: camClass,
        className: classes[camClass] ?? `class ${camClass}`,
        layer: camLayer,
        heat: Array.from(cam.heat, (v) => Math.round(v * 1e4) / 1e4),
        rows: cam.rows,
        cols: cam.cols,
        heatmap: pngDataUrl(heat, dispH, dispW, 3),
        overlay: pngDataUrl(blend(shown, heat, 0.5), dispH, dispW, 3),
      };
      if (cam.zeroGradient) gc.note = `the score of '${gc.className}' does not change with '${camLayer}' here (every gradient is zero)`;
      else if (cam.max <= 0) gc.note = `nothing in '${camLayer}' speaks for '${gc.className}' (the weighted map is ≤ 0 everywhere)`;
      result.gradcam = gc;
    }
  } finally {
    x.dispose();
  }
  result.ms = Math.round(performance.now() - t0);
  return result;
}

/**
 * The score Grad-CAM explains. Classification: the class's logit (before the softmax, as in the paper).
 * Detection: the best objectness × class probability of that class over every prediction. Segmentation: the
 * class's logits summed over the map.
 */
function classScore(run: LoadedRun, outputs: tf.Tensor[], cls: number): tf.Scalar {
  const task = run.graph.meta.task;
  if (task === 'classification') return outputs[0].reshape([-1]).gather([cls]).sum() as tf.Scalar;
  if (task === 'segmentation') {
    const o = outputs[0];
    return o.slice([0, 0, 0, cls], [-1, -1, -1, 1]).sum() as tf.Scalar;
  }
  const det = run.detector!;
  const softmax = det.options.classLoss === 'ce';
  const best = det.levels.map((l) => {
    const raw = outputs[l.output].reshape([levelSize(l), 5 + l.classes]);
    const obj = raw.slice([0, 4], [-1, 1]).sigmoid();
    const logits = raw.slice([0, 5], [-1, l.classes]);
    const probs = softmax ? tf.softmax(logits) : tf.sigmoid(logits);
    return obj.mul(probs.slice([0, cls], [-1, 1])).max();
  });
  return (best.length === 1 ? best[0] : tf.stack(best).max()) as tf.Scalar;
}
