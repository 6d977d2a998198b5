import { GraphBuilder, type Ref } from '../graph/builder';
import { convBnAct, finish, maxpool } from './layers';
import type { Template } from './types';

export const yoloTiny: Template = {
  id: 'yolo_tiny',
  name: 'YOLO-tiny',
  family: 'detection',
  task: 'detection',
  input: [416, 416, 3],
  classes: 20,
  description: "YOLOv3-tiny's backbone and its 13×13 detection scale (darknet yolov3-tiny.cfg) for the 20 VOC classes: conv-BN-LeakyReLU(0.1) layers of 16–1024 channels with 2×2 max-pools (the last one stride 1 after a one-sided zero pad), then 1×1 256 and 3×3 512 convs and a head predicting 3 anchors × (4 box + objectness + 20 classes) per cell.",
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
