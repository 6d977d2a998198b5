import { Rng, rngFor } from '../rng';
import type { ImageShape, Split, Task } from '../types';
import type { AugmentConfig } from './config';
import { AUGMENT_ORDER, AUGMENTATIONS, augmentationDef, type AugId } from './registry';
import type { AugContext, Sample } from './types';

/** Random access to un-augmented samples (0..1 floats), so mixing steps can draw partners. */
export interface SampleSource {
  readonly length: number;
  get(i: number): Sample;
}

/** A split as a sample source: raw bytes → 0..1 floats, with its label, boxes and mask. */
export function splitSource(split: Split, shape: ImageShape): SampleSource {
  const [h, w, c] = shape;
  return {
    length: split.length,
    get(i) {
      const raw = split.rawImage(i);
      const data = new Float32Array(raw.length);
      for (let k = 0; k < raw.length; k++) data[k] = raw[k] / 255;
      const s: Sample = { image: { h, w, c, data }, label: split.label(i) };
      if (split.boxes) s.boxes = split.boxes(i);
      if (split.mask) s.mask = split.mask(i);
      return s;
    },
  };
}

/** The enabled steps that apply to the task, in pipeline order. */
export function enabledSteps(config: AugmentConfig, task: Task): AugId[] {
  return AUGMENT_ORDER.filter((id) => config[id].enabled && config[id].p > 0 && AUGMENTATIONS[id].tasks.includes(task));
}

/** Enabled steps the task ignores, and other likely mistakes, as messages for the UI. */
export function augmentWarnings(config: AugmentConfig, task: Task): string[] {
  const out: string[] = [];
  for (const id of AUGMENT_ORDER) {
    const def = AUGMENTATIONS[id];
    if (config[id].enabled && !def.tasks.includes(task)) out.push(`${def.label} does not apply to ${task} and is skipped`);
  }
  if (config.mixup.enabled && config.cutmix.enabled) out.push('MixUp and CutMix are both on: a sample may get both');
  return out;
}

function applyStep(id: AugId, inputs: Sample[], config: AugmentConfig, rng: Rng, ctx: AugContext): Sample {
  return augmentationDef(id).apply(inputs, config[id] as never, rng, ctx);
}

function singleSteps(s: Sample, steps: AugId[], config: AugmentConfig, rng: Rng, ctx: AugContext): Sample {
  for (const id of steps) if (AUGMENTATIONS[id].inputs === 1 && rng.chance(config[id].p)) s = applyStep(id, [s], config, rng, ctx);
  return s;
}

/**
 * Augments sample `index` of `source`: mosaic first (partners drawn from the source), then the single-image
 * steps, then cutmix/mixup with a partner that went through the same single-image steps.
 */
export function augmentSample(source: SampleSource, index: number, config: AugmentConfig, ctx: AugContext, rng: Rng): Sample {
  const steps = enabledSteps(config, ctx.task);
  let s = source.get(index);
  if (steps.includes('mosaic') && rng.chance(config.mosaic.p)) {
    const others = [1, 2, 3].map(() => source.get(rng.int(source.length)));
    s = applyStep('mosaic', [s, ...others], config, rng, ctx);
  }
  s = singleSteps(s, steps, config, rng, ctx);
  for (const id of ['cutmix', 'mixup'] as const)
    if (steps.includes(id) && rng.chance(config[id].p)) {
      const partner = singleSteps(source.get(rng.int(source.length)), steps, config, rng, ctx);
      s = applyStep(id, [s, partner], config, rng, ctx);
    }
  return s;
}

/** The full pipeline on one sample, as the trainer would run it, with a fixed seed (for the UI). */
export function previewPipeline(source: SampleSource, index: number, config: AugmentConfig, ctx: AugContext, seed: number): Sample {
  return augmentSample(source, index, config, ctx, rngFor('preview', seed, index));
}

/**
 * One augmentation at probability 1 with `params` (defaults filled in) and a seed: what the UI shows for a
 * step. `inputs` holds the sample and, for mixing steps, its partners (1 for mixup/cutmix, 3 for mosaic).
 */
export function previewAugmentation(id: AugId, inputs: readonly Sample[], params: Record<string, unknown> | undefined, ctx: AugContext, seed: number): Sample {
  const def = augmentationDef(id);
  if (inputs.length < def.inputs) throw new Error(`${def.label} needs ${def.inputs} samples, got ${inputs.length}`);
  return def.apply(inputs.slice(0, def.inputs), def.params.parse(params ?? {}), new Rng(seed), ctx);
}
