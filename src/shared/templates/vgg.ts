import { GraphBuilder } from '../graph/builder';
import type { GraphDoc } from '../graph/types';
import { act, classify, conv, dense, dropout, finish, maxpool } from './layers';
import { imagenet, type Template } from './types';

/** torchvision's VGG configurations: channels of each 3×3 conv, `M` a 2×2 max-pool. */
const CFG = {
  vgg11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  vgg16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
} as const;

/**
 * Simonyan & Zisserman 2014 as torchvision builds it (no BN): stacks of 3×3 conv (padding 1) + ReLU, a 2×2
 * max-pool per stage (each stage one group `blockN`), then the 25088→4096→4096→1000 classifier with dropout.
 * torchvision's AdaptiveAvgPool2d(7×7) is the identity at 224×224 and is left out, so the input is fixed.
 */
export function buildVgg(name: string, cfg: readonly (number | 'M')[], classes = 1000, description?: string): GraphDoc {
  const b = new GraphBuilder({ name, input: [224, 224, 3], description });
  let x = b.input();
  let i = 0;
  let stage = 1;
  let start = 0;
  while (start < cfg.length) {
    const end = cfg.indexOf('M', start);
    const items = cfg.slice(start, end + 1);
    x = b.group(`block${stage}`, 1, () => {
      let y = x;
      for (const c of items) {
        if (c === 'M') y = maxpool(b, y, 2, 2, 0, `features.${i++}`);
        else {
          y = conv(b, y, { filters: c, kernel: 3, pad: 1, bias: true, label: `features.${i++}` });
          y = act(b, y, 'relu', `features.${i++}`);
        }
      }
      return y;
    });
    start = end + 1;
    stage++;
  }
  x = b.add('reshape/flatten', {}, x, { label: 'flatten' });
  x = dropout(b, act(b, dense(b, x, 4096, 'classifier.0'), 'relu', 'classifier.1'), 0.5, 'classifier.2');
  x = dropout(b, act(b, dense(b, x, 4096, 'classifier.3'), 'relu', 'classifier.4'), 0.5, 'classifier.5');
  classify(b, x, classes, 'classifier.6');
  return finish(b);
}

export const vgg11: Template = {
  ...imagenet('cnn'),
  id: 'vgg11',
  name: 'VGG-11',
  description: 'torchvision vgg11 (configuration A): 8 conv layers of 3×3 kernels in 5 stages and three dense layers. Two stacked 3×3 convs see as much as a 5×5 with fewer parameters.',
  reference: { source: 'torchvision vgg11', params: 132_863_336, macs: 7_609_090_048 },
  build: () => buildVgg('VGG-11', CFG.vgg11, 1000, vgg11.description),
};

export const vgg16: Template = {
  ...imagenet('cnn'),
  id: 'vgg16',
  name: 'VGG-16',
  description: 'torchvision vgg16 (configuration D): 13 conv layers of 3×3 kernels in 5 stages and three dense layers; 138 M parameters, most of them in the first dense layer.',
  reference: { source: 'torchvision vgg16', params: 138_357_544, macs: 15_470_264_320 },
  build: () => buildVgg('VGG-16', CFG.vgg16, 1000, vgg16.description),
};
