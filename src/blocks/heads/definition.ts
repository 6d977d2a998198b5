import { int } from '../../shared/blocks/params';
import { expectRank, formatShape } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const classify = defineBlock({
  type: 'head/classify',
  title: 'Classify',
  family: 'head',
  trainable: true,
  datasetClasses: true,
  params: {
    classes: int(10, 'Number of classes K: one logit each.', { min: 1, max: 100000 }),
  },
  inferShape([x], p) {
    if (x.length !== 2) {
      throw new ShapeError(`Classify expects a flat feature vector, got ${formatShape(x)}: add Flatten or global average pooling before the head`);
    }
    return [null, p.classes];
  },
  cost([x], _out, p) {
    const f = x[1] as number;
    return { params: f * p.classes + p.classes, macs: f * p.classes, ops: p.classes };
  },
  doc: {
    summary: 'The classification head: a Dense layer from the features to one logit per class.',
    formula: 'logits = xW + b;  p = softmax(logits) (applied by the loss and at inference, not in the graph)',
    paramsFormula: 'F·K + K',
    flopsFormula: '2·F·K',
    use: 'The last block of a classifier, after global average pooling (or Flatten). Multi-class: softmax + cross-entropy; multi-label: per-class sigmoid + BCE. Do not add a Softmax block before it.',
    notes: '001, 004',
  },
});

export const segment = defineBlock({
  type: 'head/segment',
  title: 'Segment',
  family: 'head',
  trainable: true,
  datasetClasses: true,
  params: {
    classes: int(2, 'Number of classes K (background included): one logit map each.', { min: 1, max: 1000 }),
  },
  inferShape([x], p) {
    expectRank(x, 3, 'Segment');
    const [, h, w] = x as number[];
    return [null, h, w, p.classes];
  },
  cost([x], _out, p) {
    const [, h, w, c] = x as number[];
    return { params: c * p.classes + p.classes, macs: h * w * c * p.classes, ops: h * w * p.classes };
  },
  doc: {
    summary: 'The semantic-segmentation head: a 1×1 conv giving K class logits at every pixel.',
    formula: 'logits[h, w, :] = x[h, w, :]·W + b;  label map = argmax over K',
    paramsFormula: 'C·K + K',
    flopsFormula: '2·H·W·C·K',
    use: 'The last block of FCN/UNet. The output must be at the label resolution (upsample in the decoder first). Trained with per-pixel cross-entropy and/or Dice loss; scored by pixel accuracy, mIoU, Dice.',
    notes: '000, 001, 004',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [classify, segment] as const;
