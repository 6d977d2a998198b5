import { z } from 'zod';
import type { Rng } from '../rng';
import type { Task } from '../types';
import type { AugContext, Sample } from './types';

export const ALL_TASKS: readonly Task[] = ['classification', 'detection', 'segmentation'];

/** One augmentation: its parameters (zod, with defaults), where it applies, and a pure `apply`. */
export interface AugmentationDef<S extends z.ZodRawShape = z.ZodRawShape> {
  id: string;
  label: string;
  doc: string;
  group: 'geometric' | 'photometric' | 'erasing' | 'mixing';
  tasks: readonly Task[];
  /** Samples consumed: the one being augmented first, then partners (2 for mixup/cutmix, 4 for mosaic). */
  inputs: 1 | 2 | 4;
  params: z.ZodObject<S>;
  /** Default probability of applying it to a sample. */
  defaultP: number;
  apply(inputs: readonly Sample[], params: z.output<z.ZodObject<S>>, rng: Rng, ctx: AugContext): Sample;
}

export function defineAugmentation<S extends z.ZodRawShape>(def: AugmentationDef<S>): AugmentationDef<S> {
  return def;
}

/** A [lo, hi] pair within [min, max], lo ≤ hi. */
export function range(min: number, max: number, def: [number, number]) {
  return z
    .tuple([z.number().min(min).max(max), z.number().min(min).max(max)])
    .refine(([lo, hi]) => lo <= hi, 'the first value must not exceed the second')
    .default(def);
}

export const fillSchema = z.enum(['zero', 'edge', 'reflect']);
