import { GraphBuilder } from '../graph/builder';
import { mbconv } from './composites';
import { classify, convBnAct, dropout, finish, gap } from './layers';
import { imagenet, type Template } from './types';

/** EfficientNet-B0 stages: expansion, kernel, stride, input channels, output channels, blocks. */
const B0 = [
  [1, 3, 1, 32, 16, 1],
  [6, 3, 2, 16, 24, 2],
  [6, 5, 2, 24, 40, 2],
  [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3],
  [6, 5, 2, 112, 192, 4],
  [6, 3, 1, 192, 320, 1],
] as const;

const STOCHASTIC_DEPTH = 0.2;
const round3 = (v: number): number => Math.round(v * 1000) / 1000;

export const efficientnetB0: Template = {
  ...imagenet('mobile'),
  id: 'efficientnet_b0',
  name: 'EfficientNet-B0',
  description: 'Tan & Le 2019, torchvision efficientnet_b0: MBConv blocks (expand, depthwise, squeeze-excitation, project) with SiLU in 7 stages found by NAS, stochastic depth on the skips, and a 1280-channel head.',
  reference: { source: 'torchvision efficientnet_b0', params: 5_288_548, macs: 385_814_752 },
  build() {
    const b = new GraphBuilder({ name: 'EfficientNet-B0', input: [224, 224, 3], description: efficientnetB0.description });
    let x = b.input();
    x = convBnAct(b, x, { filters: 32, kernel: 3, stride: 2, pad: 1, act: 'silu', label: 'features.0' });
    const total = B0.reduce((s, r) => s + r[5], 0);
    let id = 0;
    B0.forEach(([t, k, s, cin, cout, n], i) => {
      // torchvision: drop probability 0.2·(block index)/(block count); a repeated group takes its copies' mean.
      x = mbconv(b, x, { inChannels: cin, outChannels: cout, expandRatio: t, kernel: k, stride: s, dropPath: round3((STOCHASTIC_DEPTH * id) / total), label: `features.${i + 1}.0` });
      id++;
      if (n > 1) {
        const mean = (STOCHASTIC_DEPTH * (id + (n - 2) / 2)) / total;
        x = mbconv(b, x, { inChannels: cout, outChannels: cout, expandRatio: t, kernel: k, stride: 1, dropPath: round3(mean), label: `features.${i + 1}.1`, repeat: n - 1 });
        id += n - 1;
      }
    });
    x = convBnAct(b, x, { filters: 1280, kernel: 1, pad: 0, act: 'silu', label: 'features.8' });
    x = dropout(b, gap(b, x), 0.2, 'classifier.0');
    classify(b, x, 1000, 'classifier.1');
    return finish(b);
  },
};
