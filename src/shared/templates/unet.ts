import { GraphBuilder } from '../graph/builder';
import { doubleConv } from './composites';
import { finish, maxpool } from './layers';
import type { Template } from './types';

const WIDTHS = [16, 32, 64, 128] as const;

export const unetSmall: Template = {
  id: 'unet_small',
  name: 'UNet (small)',
  family: 'segmentation',
  task: 'segmentation',
  input: [128, 128, 3],
  classes: 3,
  description: 'Ronneberger et al. 2015 at a quarter of the width: an encoder of double 3×3 conv-BN-ReLU levels (16–128 channels) with 2×2 max-pools, a 256-channel bottleneck, a decoder of 2×2 transposed convs whose outputs are concatenated with the encoder features (skip connections), and a 1×1 conv to per-pixel class logits.',
  reference: { source: 'tests/fixtures/reference_models.py UNetSmall', params: 1_942_611, macs: 758_644_736 },
  // Measured: shapes-seg (adapted to 64×64×3, 7 classes), 2 epochs → mIoU 0.228, 0.416; pixel accuracy 91% (~5 min on 2 cores).
  recommended: { dataset: 'shapes-seg', config: { epochs: 2, batchSize: 16, optimizer: { name: 'adam', lr: 0.002 } } },
  build() {
    const b = new GraphBuilder({ name: 'UNet (small)', task: 'segmentation', input: [128, 128, 3], description: unetSmall.description });
    let x = b.input();
    const skips = WIDTHS.map((w, i) => {
      const s = doubleConv(b, x, { filters: w, label: `downs.${i}` });
      x = maxpool(b, s, 2, 2, 0, `pool${i + 1}`);
      return s;
    });
    x = doubleConv(b, x, { filters: 256, label: 'bottleneck' });
    [...WIDTHS].reverse().forEach((w, i) => {
      const up = b.add('core/conv2d_transpose', { filters: w, kernel: 2, stride: 2, padding: 'valid', pad: 0, outputPadding: 0, bias: true }, x, { label: `ups.${i}` });
      const cat = b.add('merge/concat', { axis: -1 }, [up, skips[WIDTHS.length - 1 - i]], { label: `cat${i}` });
      x = doubleConv(b, cat, { filters: w, label: `up_convs.${i}` });
    });
    b.add('head/segment', { classes: 3 }, x, { label: 'head' });
    return finish(b);
  },
};
