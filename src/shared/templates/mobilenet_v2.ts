import { GraphBuilder } from '../graph/builder';
import type { GraphDoc } from '../graph/types';
import { invertedResidual } from './composites';
import { classify, convBnAct, dropout, finish, gap } from './layers';
import { imagenet, type Template } from './types';

/** torchvision's inverted residual setting: expansion t, channels c, blocks n, first stride s. */
type Setting = readonly (readonly [number, number, number, number])[];
const IMAGENET_SETTING: Setting = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

/**
 * torchvision MobileNetV2 (width 1.0): 3×3/2 conv-BN-ReLU6 `features.0`, 17 inverted residual blocks
 * `features.1–17` (each stage's first block alone, the rest a repeated group), 1×1 conv to 1280 `features.18`,
 * global average pool, dropout 0.2 and the classifier.
 */
export function buildMobileNetV2(o: { name: string; input: [number, number, number]; classes: number; stemStride: number; setting: Setting; description?: string }): GraphDoc {
  const b = new GraphBuilder({ name: o.name, input: o.input, description: o.description });
  let x = b.input();
  x = convBnAct(b, x, { filters: 32, kernel: 3, stride: o.stemStride, pad: 1, act: 'relu6', label: 'features.0' });
  let cin = 32;
  let idx = 1;
  for (const [t, c, n, s] of o.setting) {
    x = invertedResidual(b, x, { inChannels: cin, outChannels: c, expanded: Math.round(cin * t), stride: s, act: 'relu6', labels: 'mobilenet_v2', label: `features.${idx}` });
    idx++;
    cin = c;
    if (n > 1) {
      x = invertedResidual(b, x, { inChannels: c, outChannels: c, expanded: Math.round(c * t), stride: 1, act: 'relu6', labels: 'mobilenet_v2', label: `features.${idx}`, repeat: n - 1 });
      idx += n - 1;
    }
  }
  x = convBnAct(b, x, { filters: 1280, kernel: 1, pad: 0, act: 'relu6', label: `features.${idx}` });
  x = dropout(b, gap(b, x), 0.2, 'classifier.0');
  classify(b, x, o.classes, 'classifier.1');
  return finish(b);
}

export const mobilenetV2: Template = {
  ...imagenet('mobile'),
  id: 'mobilenet_v2',
  name: 'MobileNet v2',
  description: 'Sandler et al. 2018, torchvision mobilenet_v2: inverted residuals with linear bottlenecks (1×1 expand ×6 → 3×3 depthwise → 1×1 linear projection, skip when the shape is kept), ReLU6.',
  reference: { source: 'torchvision mobilenet_v2', params: 3_504_872, macs: 300_774_272 },
  build: () => buildMobileNetV2({ name: 'MobileNet v2', input: [224, 224, 3], classes: 1000, stemStride: 2, setting: IMAGENET_SETTING, description: mobilenetV2.description }),
};

export const mobilenetV2Cifar: Template = {
  id: 'mobilenet_v2_cifar',
  name: 'MobileNet v2 (CIFAR)',
  family: 'mobile',
  task: 'classification',
  input: [32, 32, 3],
  classes: 10,
  description: 'MobileNet v2 for 32×32 images: the stem and the 24-channel stage use stride 1 (the usual CIFAR adaptation), so the last feature map is 4×4; 10 classes.',
  reference: { source: 'torchvision mobilenet_v2 with stride-1 stem and stage 2 (tests/fixtures/reference_models.py)', params: 2_236_682, macs: 87_976_448 },
  build: () =>
    buildMobileNetV2({
      name: 'MobileNet v2 (CIFAR)',
      input: [32, 32, 3],
      classes: 10,
      stemStride: 1,
      setting: IMAGENET_SETTING.map(([t, c, n, s]) => [t, c, n, c === 24 ? 1 : s] as const),
      description: mobilenetV2Cifar.description,
    }),
};
