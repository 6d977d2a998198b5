import * as tf from '@tensorflow/tfjs';
import { LabError } from '../../../shared/api';
import type { AttentionImage, AttentionMaps } from '../../../shared/attention';
import { MultiHeadSelfAttention } from '../../../blocks/mhsa/engine';
import { ClassToken } from '../../../blocks/tokens/engine';
import { baseOfLayer } from '../compile/naming';
import { decodeOffThread } from '../data/image/decodePool';
import { encodePng, pngDataUrl } from '../data/image/encode';
import { normLut } from '../data/normalize';
import type { Dataset } from '../data/types';
import { ExportError, loadRun } from '../export';

/** Loads a run's dataset (the registry passes its cache) with the run's split seed. */
export type DatasetLoader = (id: string, seed: number) => Promise<Dataset>;

export interface AttentionOptions {
  image: AttentionImage;
  /** Only this attention layer's heads (rollout still uses all). */
  layer?: number;
  /** Only this head of each returned layer. */
  head?: number;
}

/** The attention layers of a model, in model order. */
export function attentionLayersOf(model: tf.LayersModel): MultiHeadSelfAttention[] {
  return model.layers.filter((l): l is MultiHeadSelfAttention => l instanceof MultiHeadSelfAttention);
}

/**
 * Runs the model once on `input` `[1, H, W, C]` and returns, per attention layer, its attention probabilities
 * `[heads, N, N]` (a sub-model gives each attention layer's input; the layer computes softmax(QKᵀ/√d) from it).
 */
export function attentionProbs(model: tf.LayersModel, input: tf.Tensor): { layer: MultiHeadSelfAttention; probs: number[][][] }[] {
  const layers = attentionLayersOf(model);
  if (layers.length === 0) return [];
  const sub = tf.model({ inputs: model.inputs, outputs: layers.map((l) => l.input as tf.SymbolicTensor) });
  const outs = sub.predict(input) as tf.Tensor | tf.Tensor[];
  const xs = Array.isArray(outs) ? outs : [outs];
  try {
    return layers.map((layer, i) => {
      const a = layer.attentionWeights(xs[i]);
      const probs = (a.arraySync() as number[][][][])[0];
      a.dispose();
      return { layer, probs };
    });
  } finally {
    tf.dispose(xs);
  }
}

/**
 * Attention rollout (Abnar & Zuidema 2020): for each layer, Â = rownorm(mean_heads(A) + I); R = Â_L·…·Â_1.
 * `layers[l]` is `[heads][N][N]`; all layers must share N. Returns R `[N][N]`.
 */
export function attentionRollout(layers: readonly number[][][][]): number[][] {
  if (layers.length === 0) return [];
  const n = layers[0][0].length;
  let r: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (const heads of layers) {
    if (heads[0].length !== n) throw new Error(`rollout needs one token count; got ${heads[0].length} and ${n}`);
    const a = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => heads.reduce((s, h) => s + h[i][j], 0) / heads.length + (i === j ? 1 : 0)),
    );
    for (const row of a) {
      const s = row.reduce((x, y) => x + y, 0);
      for (let j = 0; j < n; j++) row[j] /= s;
    }
    // R ← Â·R (the later layer on the left)
    r = a.map((row) => Array.from({ length: n }, (_, j) => row.reduce((s, v, k) => s + v * r[k][j], 0)));
  }
  return r;
}

/** The patch grid `[rows, cols]` for `patches` tokens of an `h×w` image (closest to the image's aspect ratio). */
export function patchGrid(patches: number, h: number, w: number): [number, number] {
  const rows = Math.round(Math.sqrt((patches * h) / w));
  for (const r of [rows, rows - 1, rows + 1]) if (r > 0 && patches % r === 0) return [r, patches / r];
  return [1, patches];
}

/** The query row over the patches (class token: row 0 without column 0; else the column means), as a grid. */
function queryMap(m: readonly number[][], cls: boolean, grid: [number, number]): number[][] {
  const n = m.length;
  const flat = cls ? m[0].slice(1) : Array.from({ length: n }, (_, j) => m.reduce((s, row) => s + row[j], 0) / n);
  return Array.from({ length: grid[0] }, (_, r) => flat.slice(r * grid[1], (r + 1) * grid[1]));
}

/** Bytes of a `data:image/png|jpeg;base64,…` URL; throws a clear error for anything else. */
export function dataUrlBytes(url: string): Uint8Array {
  const m = /^data:([\w/+.-]*)(;[^,]*)?,(.*)$/s.exec(url);
  if (!m) throw new LabError('the image is not a data URL (expected data:image/png;base64,…)', 'bad-image');
  if (!(m[2] ?? '').includes('base64')) throw new LabError('the image data URL must be base64-encoded', 'bad-image');
  const bytes = new Uint8Array(Buffer.from(m[3], 'base64'));
  if (bytes.length === 0) throw new LabError('the image data URL is empty', 'bad-image');
  return bytes;
}

/**
 * Decodes and resizes an uploaded image to the network input `[h, w, c]` (stretch, grey if c = 1), uint8 HWC,
 * off this thread (decodeOffThread refuses images over the size limits from their header).
 */
export async function preprocessUpload(bytes: Uint8Array, h: number, w: number, c: number): Promise<Uint8Array> {
  if (c !== 1 && c !== 3) throw new LabError(`the network takes ${c}-channel images; only 1 (grey) or 3 (RGB) can be fed from a picture`, 'bad-image');
  try {
    return (await decodeOffThread({ bytes, size: [h, w], channels: c })).data;
  } catch (err) {
    throw new LabError(`not an image: ${(err as Error).message}`, 'bad-image');
  }
}


/**
 * Attention maps of a run's checkpoint (best, else last) for one image, preprocessed as the run's dataset
 * (resize to the input, the train split's mean/std). Throws LabError: 'no-attention', 'no-checkpoint', 'bad-image'.
 */
export async function attentionMaps(runDir: string, opts: AttentionOptions, loadData: DatasetLoader): Promise<AttentionMaps> {
  let run;
  try {
    run = await loadRun(runDir, { needsWeights: true, then: 'inspect its attention' });
  } catch (err) {
    if (err instanceof ExportError) throw new LabError(err.message, 'no-checkpoint');
    throw err;
  }
  const model = run.model!;
  try {
    const layers = attentionLayersOf(model);
    if (layers.length === 0) throw new LabError('this network has no attention layers (Multi-Head Self-Attention or Transformer Encoder blocks)', 'no-attention');
    const [, h, w, c] = model.inputs[0].shape as number[];
    const dataset = run.source.dataset;
    let ds: Dataset;
    try {
      ds = await loadData(dataset, Number(run.config.seed ?? 42));
    } catch (err) {
      throw new LabError(`the run's dataset '${dataset}' cannot be loaded (${(err as Error).message}); images are normalised with its statistics, so its attention cannot be shown`, 'no-dataset');
    }
    if (ds.norm.mean.length !== c) throw new LabError(`the dataset has ${ds.norm.mean.length}-channel images but the network takes ${c}`, 'bad-image');
    return await inspect(model, layers.length, opts, { h, w, c }, ds, run.checkpoint ?? '');
  } finally {
    model.dispose();
  }
}

async function inspect(model: tf.LayersModel, layerCount: number, opts: AttentionOptions, shape: { h: number; w: number; c: number }, ds: Dataset, checkpoint: string): Promise<AttentionMaps> {
  const { h, w, c } = shape;
  let raw: Uint8Array;
  let label: number | undefined;
  if (opts.image.sampleIndex !== undefined) {
    const val = ds.split('val');
    const i = opts.image.sampleIndex;
    if (!Number.isInteger(i) || i < 0 || i >= val.length) throw new LabError(`sample ${i} is out of range: the validation split has ${val.length} images`, 'bad-image');
    const [dh, dw, dc] = ds.info.shape;
    raw = dh === h && dw === w && dc === c ? val.rawImage(i) : await preprocessUpload(encodePng(val.rawImage(i), dh, dw, dc), h, w, c);
    label = val.label(i);
  } else {
    if (opts.image.dataUrl === undefined) throw new LabError('give either an image (dataUrl) or a validation sample index (sampleIndex)', 'bad-image');
    raw = await preprocessUpload(dataUrlBytes(opts.image.dataUrl), h, w, c);
  }
  // As Split.image: the train split's per-channel (x/255 − mean)/std.
  const lut = normLut(ds.norm);
  const x = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) x[i] = lut[(i % c) * 256 + raw[i]];

  const input = tf.tensor4d(x, [1, h, w, c]);
  try {
    const all = attentionProbs(model, input);
    const cls = model.layers.some((l) => l instanceof ClassToken);
    const last = all[all.length - 1].probs[0].length;
    const grid = patchGrid(cls ? last - 1 : last, h, w);
    // Rollout through the trailing layers that share the last layer's token count (a hierarchical net changes N).
    let from = all.length - 1;
    while (from > 0 && all[from - 1].probs[0].length === last) from--;
    const rollout = queryMap(attentionRollout(all.slice(from).map((a) => a.probs)), cls, grid);
    const layers = all
      .map((a, index) => {
        const n = a.probs[0].length;
        const g = n === last ? grid : patchGrid(cls ? n - 1 : n, h, w);
        const heads = a.probs.map((m) => queryMap(m, cls, g));
        return { name: baseOfLayer(a.layer.name), index, heads: opts.head !== undefined ? heads.filter((_, k) => k === opts.head) : heads };
      })
      .filter((l) => opts.layer === undefined || l.index === opts.layer);
    if (opts.layer !== undefined && layers.length === 0) throw new LabError(`layer ${opts.layer} is out of range: the network has ${layerCount} attention layers`, 'bad-layer');
    if (opts.head !== undefined && layers.some((l) => l.heads.length === 0)) throw new LabError(`head ${opts.head} is out of range`, 'bad-head');
    const out = tf.tidy(() => model.predict(input) as tf.Tensor | tf.Tensor[]);
    const first = Array.isArray(out) ? out[0] : out;
    const predicted = first.rank === 2 ? (await first.argMax(-1).data())[0] : undefined;
    tf.dispose(out);
    return {
      grid,
      query: cls ? 'cls' : 'mean',
      layers,
      layerCount,
      rollout,
      image: pngDataUrl(raw, h, w, c),
      ...(label !== undefined ? { label } : {}),
      ...(predicted !== undefined ? { predicted } : {}),
      classes: ds.info.classes,
      checkpoint,
    };
  } finally {
    input.dispose();
  }
}
