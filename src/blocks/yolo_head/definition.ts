import { int } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';
import { yoloChannels } from './channels';

export { yoloChannels };

export const yoloHead = defineBlock({
  type: 'det/yolo_head',
  title: 'YOLO Head',
  family: 'detection',
  trainable: true,
  datasetClasses: true,
  params: {
    classes: int(80, 'Number of object classes K (COCO 80, VOC 20); no background class.', { min: 1, max: 1000 }),
    anchors: int(3, 'Anchors A per cell at this scale (YOLOv3: 3); 0 = anchor-free (one prediction per cell).', { min: 0, max: 16 }),
    stride: int(32, 'Downsampling of this feature map relative to the input (8, 16 or 32); used to decode boxes to pixels.', { min: 1, max: 128 }),
  },
  inferShape([x], p, ctx) {
    expectRank(x, 3, 'YOLO Head');
    const [, h, w] = x as number[];
    const inH = ctx.graphInput[0];
    if (ctx.graphInput.length === 3 && inH !== undefined && h !== Math.floor(inH / p.stride) && h !== Math.ceil(inH / p.stride)) {
      const actual = Math.round(inH / h);
      throw new ShapeError(`stride ${p.stride} does not match the feature map: the input is ${inH} high, so a ${h}-high map has stride ${actual}, not ${p.stride}`, 'stride');
    }
    return [null, h, w, yoloChannels(p.classes, p.anchors)];
  },
  cost([x], out) {
    const [, h, w, c] = x as number[];
    const co = out[3] as number;
    return { params: c * co + co, macs: h * w * c * co, ops: h * w * co };
  },
  doc: {
    summary: 'A YOLO detection head for one scale: a 1×1 conv predicting, at each grid cell, A boxes with (tx, ty, tw, th, objectness, K class scores).',
    formula:
      'out[h, w, a·(5+K) + j], j = 0–3 box (tx, ty, tw, th), 4 objectness, 5… classes. Decode: b_x = (σ(tx) + w)·stride, b_y = (σ(ty) + h)·stride, b_w = p_w·e^(tw), b_h = p_h·e^(th) (anchor p_w×p_h). Anchor-free (A = 0): one set of 4 + 1 + K, box as distances from the cell centre × stride.',
    paramsFormula: 'C·A(5+K) + A(5+K)',
    flopsFormula: '2·H·W·C·A·(5+K)',
    use:
      'Anchor-based (YOLOv2/v3/v5): anchors come from K-means on the training boxes with a 1 − IoU distance (note 001), fixed when the run starts and saved with it, split across the heads from the finest stride. Each ground-truth box goes to the cell holding its centre and the anchor (over all heads) whose shape fits it best (IoU of the sizes with a common centre); with the anchor ratio r (YOLOv5 anchor_t, default 4) every other anchor whose width and height are both within a factor r of the box also learns it at its centre cell. Other predictions are negatives for objectness, except those whose decoded box already overlaps a ground-truth box by more than the ignore IoU (0.5, YOLOv3), which are left out (pos/neg imbalance). Anchor-free (YOLOX/v8 style): cells whose centres lie inside the box and within 1.5 strides of its centre are positives (centre sampling). Loss: BCE or focal on objectness (optionally with hard negative mining: per image only the r·P negatives of highest loss count, SSD), BCE/CE on classes, CIoU/GIoU/IoU or smooth L1 on boxes; NMS (or soft-NMS) at inference.',
    notes: '000, 001, 004',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [yoloHead] as const;
