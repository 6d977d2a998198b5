import { GraphBuilder } from '../graph/builder';
import type { GraphDoc } from '../graph/types';
import { basicBlock, bottleneck } from './composites';
import { act, bn, classify, conv, finish, gap, maxpool } from './layers';
import { imagenet, type Template } from './types';

export interface ResNetSpec {
  name: string;
  block: 'basic' | 'bottleneck';
  /** Blocks per stage, e.g. [2, 2, 2, 2] for ResNet-18. */
  layers: readonly number[];
  input?: [number, number, number];
  classes?: number;
  description?: string;
  /** One group per block instead of a repeated group per stage (a flat document, e.g. for benchmarks). */
  unroll?: boolean;
}

/**
 * torchvision's ResNet (v1.5: the stride sits on the bottleneck's 3×3 conv). Stem: 7×7/2 conv-BN-ReLU, 3×3/2
 * max-pool (padding 1). Each stage: block `layerN.0` (stride and 1×1 projection shortcut), then the identity
 * blocks as one group `layerN.1` repeated ×(n−1). Global average pool and `fc`.
 */
export function buildResNet(spec: ResNetSpec): GraphDoc {
  const input = spec.input ?? [224, 224, 3];
  const b = new GraphBuilder({ name: spec.name, input, description: spec.description });
  let x = b.input();
  x = conv(b, x, { filters: 64, kernel: 7, stride: 2, pad: 3, bias: false, label: 'conv1' });
  x = act(b, bn(b, x, 'bn1'), 'relu', 'relu');
  x = maxpool(b, x, 3, 2, 1, 'maxpool');
  const expansion = spec.block === 'basic' ? 1 : 4;
  let cin = 64;
  spec.layers.forEach((n, i) => {
    const width = 64 << i;
    const stride = i === 0 ? 1 : 2;
    const block = (label: string, inChannels: number, s: number, repeat: number): void => {
      x = spec.block === 'basic'
        ? basicBlock(b, x, { inChannels, filters: width, stride: s, label, repeat })
        : bottleneck(b, x, { inChannels, width, stride: s, label, repeat });
    };
    block(`layer${i + 1}.0`, cin, stride, 1);
    cin = width * expansion;
    if (spec.unroll) for (let k = 1; k < n; k++) block(`layer${i + 1}.${k}`, cin, 1, 1);
    else if (n > 1) block(`layer${i + 1}.1`, cin, 1, n - 1);
  });
  x = gap(b, x);
  classify(b, x, spec.classes ?? 1000, 'fc');
  return finish(b);
}

export const resnet18: Template = {
  ...imagenet('cnn'),
  id: 'resnet18',
  name: 'ResNet-18',
  description: 'He et al. 2015, torchvision resnet18: four stages of 2 basic residual blocks (64–512 channels). Skip connections cure the degradation problem.',
  reference: { source: 'torchvision resnet18', params: 11_689_512, macs: 1_814_073_344 },
  build: () => buildResNet({ name: 'ResNet-18', block: 'basic', layers: [2, 2, 2, 2], description: resnet18.description }),
};

export const resnet34: Template = {
  ...imagenet('cnn'),
  id: 'resnet34',
  name: 'ResNet-34',
  description: 'torchvision resnet34: basic residual blocks in stages of 3, 4, 6 and 3.',
  reference: { source: 'torchvision resnet34', params: 21_797_672, macs: 3_663_761_408 },
  build: () => buildResNet({ name: 'ResNet-34', block: 'basic', layers: [3, 4, 6, 3], description: resnet34.description }),
};

export const resnet50: Template = {
  ...imagenet('cnn'),
  id: 'resnet50',
  name: 'ResNet-50',
  description: 'torchvision resnet50 (v1.5): bottleneck blocks (1×1 reduce, 3×3, 1×1 expand ×4) in stages of 3, 4, 6 and 3.',
  reference: { source: 'torchvision resnet50', params: 25_557_032, macs: 4_089_184_256 },
  build: () => buildResNet({ name: 'ResNet-50', block: 'bottleneck', layers: [3, 4, 6, 3], description: resnet50.description }),
};

/** Small CIFAR ResNet: conv32-BN-ReLU, basic blocks 32→32 and 32→64 (stride 2), GAP, dense 10. */
export const resnetCifar: Template = {
  id: 'resnet_cifar',
  name: 'ResNet (CIFAR, small)',
  family: 'cnn',
  task: 'classification',
  input: [32, 32, 3],
  classes: 10,
  description: 'A small residual network for 32×32 colour images: a 3×3 conv stem, two basic residual blocks (the second halves the size and doubles the channels), global average pooling and a 10-way classifier.',
  reference: { source: 'tests/fixtures/reference_models.py ResNetCifar', params: 77_866, macs: 34_439_808 },
  build() {
    const b = new GraphBuilder({ name: 'ResNet (CIFAR, small)', input: [32, 32, 3], description: resnetCifar.description });
    let x = b.input();
    x = conv(b, x, { filters: 32, kernel: 3, pad: 1, bias: false, label: 'conv1' });
    x = act(b, bn(b, x, 'bn1'), 'relu', 'relu');
    x = basicBlock(b, x, { inChannels: 32, filters: 32, label: 'layer1.0' });
    x = basicBlock(b, x, { inChannels: 32, filters: 64, stride: 2, label: 'layer2.0' });
    x = gap(b, x);
    classify(b, x, 10, 'fc');
    return finish(b);
  },
};
