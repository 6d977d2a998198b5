import { GraphBuilder } from '../graph/builder';
import { mobileNetV3Block } from './composites';
import { act, classify, convBnAct, dense, dropout, finish, gap } from './layers';
import { imagenet, type Template } from './types';

/** torchvision's MobileNetV3-Small config: input, kernel, expanded, output channels, SE, activation, stride. */
const SMALL = [
  [16, 3, 16, 16, true, 'relu', 2],
  [16, 3, 72, 24, false, 'relu', 2],
  [24, 3, 88, 24, false, 'relu', 1],
  [24, 5, 96, 40, true, 'hardswish', 2],
  [40, 5, 240, 40, true, 'hardswish', 1],
  [40, 5, 240, 40, true, 'hardswish', 1],
  [40, 5, 120, 48, true, 'hardswish', 1],
  [48, 5, 144, 48, true, 'hardswish', 1],
  [48, 5, 288, 96, true, 'hardswish', 2],
  [96, 5, 576, 96, true, 'hardswish', 1],
  [96, 5, 576, 96, true, 'hardswish', 1],
] as const;

const BN = { epsilon: 0.001, momentum: 0.01 };

export const mobilenetV3Small: Template = {
  ...imagenet('mobile'),
  id: 'mobilenet_v3_small',
  name: 'MobileNet v3 Small',
  description: 'Howard et al. 2019, torchvision mobilenet_v3_small: inverted residuals found by NAS, h-swish in the deeper half, squeeze-excitation with a hard-sigmoid gate, and a 576 → 1024 → 1000 head.',
  reference: { source: 'torchvision mobilenet_v3_small', params: 2_542_856, macs: 56_510_400 },
  build() {
    const b = new GraphBuilder({ name: 'MobileNet v3 Small', input: [224, 224, 3], description: mobilenetV3Small.description });
    let x = b.input();
    x = convBnAct(b, x, { filters: 16, kernel: 3, stride: 2, pad: 1, act: 'hardswish', bn: BN, label: 'features.0' });
    for (let i = 0; i < SMALL.length; i++) {
      const [cin, k, exp, cout, se, a, s] = SMALL[i];
      // Consecutive identical identity blocks become one repeated group.
      let n = 1;
      const same = (j: number): boolean => j < SMALL.length && SMALL[j].every((v, q) => v === SMALL[i][q]);
      if (s === 1 && cin === cout) while (same(i + n)) n++;
      x = mobileNetV3Block(b, x, { inChannels: cin, outChannels: cout, expanded: exp, kernel: k, stride: s, se, act: a, label: `features.${i + 1}`, repeat: n });
      i += n - 1;
    }
    x = convBnAct(b, x, { filters: 576, kernel: 1, pad: 0, act: 'hardswish', bn: BN, label: 'features.12' });
    x = gap(b, x);
    x = dropout(b, act(b, dense(b, x, 1024, 'classifier.0'), 'hardswish', 'classifier.1'), 0.2, 'classifier.2');
    classify(b, x, 1000, 'classifier.3');
    return finish(b);
  },
};
