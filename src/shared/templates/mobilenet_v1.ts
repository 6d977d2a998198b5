import { GraphBuilder } from '../graph/builder';
import { depthwiseSeparable } from './composites';
import { classify, convBnAct, finish, gap } from './layers';
import { imagenet, type Template } from './types';

/** [output channels, stride] of MobileNet v1's 13 depthwise-separable blocks. */
const BLOCKS: readonly (readonly [number, number])[] = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2],
  [512, 1], [512, 1], [512, 1], [512, 1], [512, 1],
  [1024, 2], [1024, 1],
];

export const mobilenetV1: Template = {
  ...imagenet('mobile'),
  id: 'mobilenet_v1',
  name: 'MobileNet v1',
  description: 'Howard et al. 2017 with BN after every conv (the standard PyTorch implementation): a 3×3/2 conv, then 13 depthwise-separable blocks (3×3 depthwise + 1×1 pointwise), the five 512-channel ones as a repeated group; global average pool and a dense classifier.',
  reference: { source: 'PyTorch MobileNetV1 (tests/fixtures/reference_models.py)', params: 4_231_976, macs: 568_740_352 },
  build() {
    const b = new GraphBuilder({ name: 'MobileNet v1', input: [224, 224, 3], description: mobilenetV1.description });
    let x = b.input();
    x = convBnAct(b, x, { filters: 32, kernel: 3, stride: 2, pad: 1, act: 'relu', label: 'model.0' });
    for (let i = 0; i < BLOCKS.length; i++) {
      const [c, s] = BLOCKS[i];
      let n = 1;
      while (s === 1 && i + n < BLOCKS.length && BLOCKS[i + n][0] === c && BLOCKS[i + n][1] === 1 && i > 0 && BLOCKS[i - 1][0] === c) n++;
      x = depthwiseSeparable(b, x, { filters: c, stride: s, label: `model.${i + 1}`, repeat: n });
      i += n - 1;
    }
    x = gap(b, x, 'model.14');
    classify(b, x, 1000, 'fc');
    return finish(b);
  },
};
