import { GraphBuilder, type Ref } from '../graph/builder';
import type { GraphDoc } from '../graph/types';
import { cspBlock } from './composites';
import { convBnAct, finish, maxpool } from './layers';
import type { Template } from './types';

export const yoloTiny: Template = {
  id: 'yolo_tiny',
  name: 'YOLO-tiny',
  family: 'detection',
  task: 'detection',
  input: [416, 416, 3],
  classes: 20,
  description: "For inputs of 256 px and more (its single head has stride 32: a 64-px image would give a 2×2 grid; use YOLO-nano there). YOLOv3-tiny's backbone and its 13×13 detection scale (darknet yolov3-tiny.cfg) for the 20 VOC classes: conv-BN-LeakyReLU(0.1) layers of 16–1024 channels with 2×2 max-pools (the last one stride 1 after a one-sided zero pad), then 1×1 256 and 3×3 512 convs and a head predicting 3 anchors × (4 box + objectness + 20 classes) per cell.",
  reference: { source: 'tests/fixtures/reference_models.py YoloTiny', params: 7_776_219, macs: 2_119_157_248 },
  build() {
    const b = new GraphBuilder({ name: 'YOLO-tiny', task: 'detection', input: [416, 416, 3], description: yoloTiny.description });
    let x: Ref = b.input();
    let i = 0;
    const cbl = (filters: number, kernel: number): void => {
      x = convBnAct(b, x, { filters, kernel, act: 'leaky_relu', label: `backbone.${i++}` });
    };
    for (const w of [16, 32, 64, 128, 256]) {
      cbl(w, 3);
      x = maxpool(b, x, 2, 2, 0, `backbone.${i++}`);
    }
    cbl(512, 3);
    x = b.add('reshape/zeropad', { top: 0, bottom: 1, left: 0, right: 1 }, x, { label: `backbone.${i++}` });
    x = maxpool(b, x, 2, 1, 0, `backbone.${i++}`);
    cbl(1024, 3);
    cbl(256, 1);
    cbl(512, 3);
    b.add('det/yolo_head', { classes: 20, anchors: 3, stride: 32 }, x, { label: 'head' });
    return finish(b);
  },
};

/** Options of the nano detector builder (the template uses the defaults). */
export interface YoloNanoOptions {
  size?: number;
  classes?: number;
  /** Channels at strides 1, 2, 4, 8 and 16. */
  widths?: [number, number, number, number, number];
  /** Head strides: [8] (the template) or [8, 16]. */
  strides?: readonly number[];
  anchors?: number;
}

/**
 * A nano YOLO for small inputs. Backbone (DarkNet-tiny-like): a 3×3 conv-BN-LeakyReLU stem, then per stage a
 * 2×2 max-pool and a 3×3 conv (strides 2, 4, 8, 16), with a CSP block (YOLOv5's C3) closing the stride-16
 * stage. Neck (FPN top-down): the stride-16 map, reduced by a 1×1 conv, is upsampled ×2, concatenated with the
 * stride-8 map and fused by a CSP block without shortcuts; a YOLO head at stride 8 (optionally a second one at 16).
 *
 * Measured on shapes-det (4,000 training images, 2 epochs, mAP@0.5 on 500 validation images): batch 16 Adam 3e-3
 * 0.95–0.96 over 3 seeds; batch 32 Adam 5e-3 0.93–0.95; batch 32 Adam 3e-3 0.86; a second head at stride 16
 * 0.96 but 10% slower; 1 epoch 0.63. An extra CSP block at stride 8, or stride-2 convs instead of the pools,
 * learned more slowly (≈ 0.70 at batch 32, 3e-3).
 */
export function buildYoloNano(o: YoloNanoOptions = {}): GraphDoc {
  const size = o.size ?? 64;
  const classes = o.classes ?? 6;
  const [w0, w1, w2, w3, w4] = o.widths ?? [16, 32, 64, 128, 128];
  const strides = o.strides ?? [8];
  const anchors = o.anchors ?? 3;
  const b = new GraphBuilder({ name: 'YOLO-nano', task: 'detection', input: [size, size, 3], description: yoloNanoDescription });
  const cbl = (x: Ref, filters: number, kernel: number, label: string): Ref => convBnAct(b, x, { filters, kernel, act: 'leaky_relu', label });
  const stage = (x: Ref, filters: number, stride: number): Ref => cbl(maxpool(b, x, 2, 2, 0, `backbone.s${stride}.pool`), filters, 3, `backbone.s${stride}.conv`);
  let x = cbl(b.input(), w0, 3, 'backbone.stem');
  x = stage(x, w1, 2);
  x = stage(x, w2, 4);
  const c3 = stage(x, w3, 8);
  const c4 = cspBlock(b, stage(c3, w4, 16), { outChannels: w4, n: 1, act: 'leaky_relu', label: 'backbone.s16.csp' });
  const lateral = cbl(c4, w3 / 2, 1, 'neck.lateral');
  const up = b.add('reshape/upsample', { scale: 2, mode: 'nearest' }, lateral, { label: 'neck.up' });
  const cat = b.add('merge/concat', { axis: -1 }, [up, c3], { label: 'neck.cat' });
  const p3 = cspBlock(b, cat, { outChannels: w3, n: 1, shortcut: false, act: 'leaky_relu', label: 'neck.p3' });
  b.add('det/yolo_head', { classes, anchors, stride: 8 }, p3, { label: 'head.p3' });
  if (strides.includes(16)) b.add('det/yolo_head', { classes, anchors, stride: 16 }, cbl(c4, w4, 3, 'neck.p4'), { label: 'head.p4' });
  return finish(b);
}

const yoloNanoDescription =
  'A nano YOLO for 64×64 images (the shapes-det set, 6 classes): a DarkNet-tiny-like backbone (conv-BN-LeakyReLU(0.1) with 2×2 max-pools down to stride 16, a CSP block at stride 16), an FPN-style neck (1×1 conv, ×2 upsample, concat with the stride-8 map, CSP fusion) and one head at stride 8 (an 8×8 grid) with 3 k-means anchors per cell. About 415k parameters, 25 M MACs; reaches mAP@0.5 ≈ 0.95 on shapes-det in 2 epochs.';

export const yoloNano: Template = {
  id: 'yolo_nano',
  name: 'YOLO-nano',
  family: 'detection',
  task: 'detection',
  input: [64, 64, 3],
  classes: 6,
  description: yoloNanoDescription,
  reference: { source: 'tests/fixtures/reference_models.py YoloNano', params: 415_153, macs: 25_108_480 },
  recommended: { dataset: 'shapes-det', config: { epochs: 2, batchSize: 16, optimizer: { name: 'adam', lr: 0.003 } } },
  build: () => buildYoloNano(),
};
