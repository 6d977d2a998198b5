import { float } from '../../shared/blocks/params';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

const noCost = () => ({ params: 0, macs: 0, ops: 0 });

export const dropout = defineBlock({
  type: 'reg/dropout',
  title: 'Dropout',
  family: 'regularization',
  params: {
    rate: float(0.5, 'Drop probability p (0.5 for FC layers, 0.1–0.3 for convs).', { min: 0, max: 0.95, step: 0.05 }),
  },
  inferShape([x]) {
    if (x.length < 2) throw new ShapeError('Dropout needs at least one feature dimension');
    return x;
  },
  cost: noCost,
  doc: {
    summary: 'During training, zeroes each element with probability p and scales the survivors by 1/(1−p) (inverted dropout); at inference it is the identity.',
    formula: 'train: y = x·m/(1−p), m ~ Bernoulli(1−p);  inference: y = x',
    paramsFormula: '0',
    flopsFormula: '0 at inference (one multiply per element while training)',
    use: "Regularises FC layers by preventing co-adaptation (an implicit ensemble). Place after the activation (Dense → ReLU → Dropout). Inverted dropout keeps E[y] = x, so inference needs no rescaling; the older convention instead multiplies by (1−p) at inference (note 000). Remember model.train()/eval(). DropConnect drops weights; DropBlock drops regions of a feature map.",
    notes: '000, 002, 004',
  },
});

export const dropPath = defineBlock({
  type: 'reg/droppath',
  title: 'DropPath',
  family: 'regularization',
  params: {
    rate: float(0.1, 'Probability p of dropping the whole branch for a sample.', { min: 0, max: 0.95, step: 0.05 }),
  },
  inferShape([x]) {
    if (x.length < 2) throw new ShapeError('DropPath needs at least one feature dimension');
    return x;
  },
  cost: noCost,
  doc: {
    summary: 'Stochastic depth: during training, zeroes the whole input of a sample with probability p (scaling kept ones by 1/(1−p)); identity at inference.',
    formula: 'train: y = x·b/(1−p), b ~ Bernoulli(1−p) per sample;  inference: y = x',
    paramsFormula: '0',
    flopsFormula: '0 at inference',
    use: 'Put it on the residual branch, just before the Add, so a dropped sample passes through the skip only: the network is randomly shallower during training. ViT/DeiT/Swin and EfficientNet use it, with p rising linearly with depth (e.g. 0 → 0.1–0.2).',
    notes: '002',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [dropout, dropPath] as const;
