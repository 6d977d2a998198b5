import { rotateDef } from './affine';
import { colorJitterDef } from './color';
import { resizedCropDef, translateDef } from './crop';
import type { AugmentationDef } from './def';
import { cutoutDef, randomErasingDef } from './erase';
import { hflipDef, vflipDef } from './flip';
import { cutmixDef, mixupDef } from './mix';
import { mosaicDef } from './mosaic';

/** Every augmentation, keyed by id, in the order the pipeline applies them. */
export const AUGMENTATIONS = {
  mosaic: mosaicDef,
  resizedCrop: resizedCropDef,
  translate: translateDef,
  rotate: rotateDef,
  hflip: hflipDef,
  vflip: vflipDef,
  colorJitter: colorJitterDef,
  cutout: cutoutDef,
  randomErasing: randomErasingDef,
  cutmix: cutmixDef,
  mixup: mixupDef,
} as const;

export type AugId = keyof typeof AUGMENTATIONS;
export const AUGMENT_ORDER = Object.keys(AUGMENTATIONS) as AugId[];

export function augmentationDef(id: AugId): AugmentationDef {
  return AUGMENTATIONS[id] as unknown as AugmentationDef;
}
