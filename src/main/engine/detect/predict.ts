import * as tf from '@tensorflow/tfjs';
import { batchedNms, cxcywhToXyxy, type BoxXYXY, type NmsOptionsInput } from '../../../shared/metrics';
import { decodeTensor } from './codec';
import { levelSize, priorTable, type DetectionLevel, type ImageSize } from './levels';

/** How class scores are read: one sigmoid per class (trained with BCE) or a softmax (trained with CE). */
export type ClassActivation = 'sigmoid' | 'softmax';

export interface Detection {
  cls: number;
  score: number;
  /** (cx, cy, w, h) relative to the image. */
  box: [number, number, number, number];
}

/** Every prediction of a batch, all heads together: score = objectness × best class probability. */
export interface RawPredictions {
  images: number;
  perImage: number;
  /** images·perImage·4, (cx, cy, w, h) relative. */
  boxes: Float32Array;
  scores: Float32Array;
  classes: Int32Array;
}

/** Decodes the heads' outputs on the tensor side and reads them back in one go. */
export class Decoder {
  private readonly priors: tf.Tensor2D[];

  constructor(
    readonly levels: readonly DetectionLevel[],
    readonly image: ImageSize,
    readonly activation: ClassActivation,
  ) {
    this.priors = levels.map((l) => tf.tensor2d(priorTable(l), [levelSize(l), 4]));
  }

  /** Priors [(gx, gy, anchor w, anchor h)] of level `i`, one row per prediction of an image. */
  priorsOf(i: number): tf.Tensor2D {
    return this.priors[i];
  }

  async decode(outputs: readonly tf.Tensor[]): Promise<RawPredictions> {
    const images = outputs[0].shape[0];
    const [boxes, scores, classes] = tf.tidy(() => {
      const parts = this.levels.map((l, i) => {
        const raw = outputs[l.output].reshape([images, levelSize(l), 5 + l.classes]);
        const [t, obj, cls] = tf.split(raw, [4, 1, l.classes], -1);
        const probs = this.activation === 'softmax' ? tf.softmax(cls) : tf.sigmoid(cls);
        const score = tf.sigmoid(obj).mul(probs);
        return { box: decodeTensor(l, this.image, t, this.priors[i]), score: score.max(-1), cls: score.argMax(-1) };
      });
      return [tf.concat(parts.map((p) => p.box), 1), tf.concat(parts.map((p) => p.score), 1), tf.concat(parts.map((p) => p.cls), 1)];
    });
    const out: RawPredictions = {
      images,
      perImage: scores.shape[1]!,
      boxes: (await boxes.data()) as Float32Array,
      scores: (await scores.data()) as Float32Array,
      classes: (await classes.data()) as Int32Array,
    };
    tf.dispose([boxes, scores, classes]);
    return out;
  }

  dispose(): void {
    tf.dispose(this.priors);
  }
}

/** Candidates kept per image before NMS (highest scores first). */
export const PRE_NMS_TOP_K = 1000;

/** Image `n`'s detections: score filter, top-k, then NMS per class (hard or soft, see shared/metrics/nms). */
export function detectionsOf(p: RawPredictions, n: number, nms: NmsOptionsInput & { scoreThreshold: number }): Detection[] {
  const idx: number[] = [];
  const base = n * p.perImage;
  for (let j = 0; j < p.perImage; j++) if (p.scores[base + j] >= nms.scoreThreshold) idx.push(base + j);
  idx.sort((a, b) => p.scores[b] - p.scores[a] || a - b);
  idx.length = Math.min(idx.length, PRE_NMS_TOP_K);
  const cand = idx.map((i) => Array.from(p.boxes.subarray(i * 4, i * 4 + 4)) as [number, number, number, number]);
  const xyxy: BoxXYXY[] = cand.map((b) => cxcywhToXyxy(b));
  const kept = batchedNms(
    xyxy,
    idx.map((i) => p.scores[i]),
    idx.map((i) => p.classes[i]),
    nms,
  );
  return kept.map((k) => ({ cls: p.classes[idx[k.index]], score: k.score, box: cand[k.index] }));
}
