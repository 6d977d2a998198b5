import { z } from 'zod';
import { rotateDef } from './affine';
import { colorJitterDef } from './color';
import { resizedCropDef, translateDef } from './crop';
import type { AugmentationDef } from './def';
import { cutoutDef, randomErasingDef } from './erase';
import { hflipDef, vflipDef } from './flip';
import { cutmixDef, mixupDef } from './mix';
import { mosaicDef } from './mosaic';

/** `{ enabled, p, ...params }` for one augmentation; every field has a default. */
function step<S extends z.ZodRawShape>(def: AugmentationDef<S>) {
  return z
    .object({ enabled: z.boolean().default(false), p: z.number().min(0).max(1).default(def.defaultP) })
    .extend(def.params.shape)
    .prefault({} as never); // {} is valid input (every field has a default); TS cannot see that through the generic S
}

/** The augmentation pipeline the trainer applies per batch. Everything is off by default. */
export const AugmentConfigSchema = z.object({
  mosaic: step(mosaicDef),
  resizedCrop: step(resizedCropDef),
  translate: step(translateDef),
  rotate: step(rotateDef),
  hflip: step(hflipDef),
  vflip: step(vflipDef),
  colorJitter: step(colorJitterDef),
  cutout: step(cutoutDef),
  randomErasing: step(randomErasingDef),
  cutmix: step(cutmixDef),
  mixup: step(mixupDef),
});

export type AugmentConfig = z.output<typeof AugmentConfigSchema>;
/** What a saved project or the UI may hold: any subset, filled with defaults on parse. */
export type AugmentConfigInput = z.input<typeof AugmentConfigSchema>;

export const DEFAULT_AUGMENT: AugmentConfig = AugmentConfigSchema.parse({});

export function parseAugmentConfig(input: unknown): AugmentConfig {
  return AugmentConfigSchema.parse(input ?? {});
}
