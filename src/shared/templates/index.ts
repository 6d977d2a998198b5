import { efficientnetB0 } from './efficientnet';
import { cnnSmall, lenet5, lenetMnist } from './lenet';
import { mobilenetV1 } from './mobilenet_v1';
import { mobilenetV2, mobilenetV2Cifar } from './mobilenet_v2';
import { mobilenetV3Small } from './mobilenet_v3';
import { resnet18, resnet34, resnet50, resnetCifar } from './resnet';
import type { Template } from './types';
import { unetSmall } from './unet';
import { vgg11, vgg16 } from './vgg';
import { efficientFormerTiny, vitB16, vitHybrid, vitTiny, vitTinyCifar } from './vit';
import { yoloNano, yoloTiny } from './yolo';

export * from './types';
export { COMPOSITES, compositeById, copyLabel, type CompositeDef, type CompositeContext } from './composites';
export { buildResNet } from './resnet';
export { buildYoloNano } from './yolo';

/** The template gallery, small-data variants first within each family. */
export const TEMPLATES: readonly Template[] = [
  // 28×28×1 and 32×32×3 starters
  lenetMnist,
  cnnSmall,
  resnetCifar,
  mobilenetV2Cifar,
  vitTinyCifar,
  vitHybrid,
  efficientFormerTiny,
  // classic CNNs
  lenet5,
  vgg11,
  vgg16,
  resnet18,
  resnet34,
  resnet50,
  // mobile
  mobilenetV1,
  mobilenetV2,
  mobilenetV3Small,
  efficientnetB0,
  // transformers
  vitTiny,
  vitB16,
  // dense prediction
  unetSmall,
  yoloNano,
  yoloTiny,
];

const byId = new Map(TEMPLATES.map((t) => [t.id, t]));
/** Short names people type: `train lenet --dataset mnist`. */
export const TEMPLATE_ALIASES: Readonly<Record<string, string>> = {
  lenet: 'lenet_mnist',
  resnet: 'resnet18',
  vgg: 'vgg16',
  mobilenet: 'mobilenet_v2',
  efficientnet: 'efficientnet_b0',
  vit: 'vit_tiny',
  unet: 'unet_small',
  yolo: 'yolo_nano',
};

export const templateById = (id: string): Template | undefined => byId.get(id) ?? byId.get(TEMPLATE_ALIASES[id] ?? '');
