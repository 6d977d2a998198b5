import { z } from 'zod';
import type { SCHEDULES } from './config';

type TrainScheduleName = (typeof SCHEDULES)[number];

// Learning-rate schedules as pure functions of the 0-based optimizer step (no state, so a resumed run
// and the UI preview compute the same numbers). Epoch-based schedules take stepsPerEpoch
// (default 1, i.e. the "epoch" is a step) and change at epoch boundaries, like PyTorch schedulers
// stepped once per epoch.
//
//   constant     lr
//   step         lr · γ^⌊epoch / stepSize⌋                     (torch StepLR)
//   exponential  lr · γ^epoch                                   (torch ExponentialLR; γ = e^(−k) gives lr·e^(−k·epoch))
//   cosine       step < W: lr · (f + (1−f)·step/W)              (linear warmup from f·lr)
//                else minLr + (lr − minLr)·½(1 + cos(π·(step−W)/(T−W)))
//   onecycle     torch OneCycleLR (cosine annealing, two phases): maxLr/divFactor → maxLr over the first
//                pctStart of training, then → maxLr/(divFactor·finalDivFactor) at the last step

const lr = z.number().positive();

export const ConstantScheduleSchema = z.object({ name: z.literal('constant'), lr: lr.default(1e-3) });
export const StepScheduleSchema = z.object({
  name: z.literal('step'),
  lr: lr.default(0.1),
  /** Epochs between decays. */
  stepSize: z.number().int().positive().default(30),
  gamma: z.number().positive().max(1).default(0.1),
});
export const ExponentialScheduleSchema = z.object({
  name: z.literal('exponential'),
  lr: lr.default(1e-3),
  gamma: z.number().positive().max(1).default(0.95),
});
export const CosineScheduleSchema = z.object({
  name: z.literal('cosine'),
  lr: lr.default(1e-3),
  warmupSteps: z.number().int().min(0).default(0),
  /** The warmup starts at warmupStartFactor·lr (0: from zero, as in Hugging Face's schedule). */
  warmupStartFactor: z.number().min(0).max(1).default(0),
  minLr: z.number().min(0).default(0),
});
export const OneCycleScheduleSchema = z.object({
  name: z.literal('onecycle'),
  maxLr: lr.default(1e-2),
  pctStart: z.number().gt(0).lt(1).default(0.3),
  divFactor: z.number().positive().default(25),
  finalDivFactor: z.number().positive().default(1e4),
});

export const ScheduleConfigSchema = z.discriminatedUnion('name', [
  ConstantScheduleSchema,
  StepScheduleSchema,
  ExponentialScheduleSchema,
  CosineScheduleSchema,
  OneCycleScheduleSchema,
]);
export type ScheduleConfig = z.infer<typeof ScheduleConfigSchema>;
export type ScheduleConfigInput = z.input<typeof ScheduleConfigSchema>;
export type ScheduleName = ScheduleConfig['name'];
// The TrainConfig's SCHEDULES and these are one vocabulary.
const sameNames: [ScheduleName, TrainScheduleName] extends [TrainScheduleName, ScheduleName] ? true : never = true;
void sameNames;

export function defaultScheduleConfig<N extends ScheduleName>(name: N): Extract<ScheduleConfig, { name: N }> {
  return ScheduleConfigSchema.parse({ name }) as Extract<ScheduleConfig, { name: N }>;
}

function annealCos(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/** Learning rate for the given 0-based step of a run of totalSteps steps. Expects a parsed config. */
export function learningRateAt(config: ScheduleConfig, step: number, totalSteps: number, stepsPerEpoch = 1): number {
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`step must be an integer ≥ 0, got ${step}`);
  if (!(totalSteps >= 1)) throw new RangeError(`totalSteps must be ≥ 1, got ${totalSteps}`);
  if (!(stepsPerEpoch >= 1)) throw new RangeError(`stepsPerEpoch must be ≥ 1, got ${stepsPerEpoch}`);
  const epoch = Math.floor(step / stepsPerEpoch);
  switch (config.name) {
    case 'constant':
      return config.lr;
    case 'step':
      return config.lr * config.gamma ** Math.floor(epoch / config.stepSize);
    case 'exponential':
      return config.lr * config.gamma ** epoch;
    case 'cosine': {
      const { lr: base, warmupSteps: w, warmupStartFactor: f, minLr } = config;
      if (step < w) return base * (f + ((1 - f) * step) / w);
      const span = Math.max(1, totalSteps - w);
      const progress = Math.min(1, (step - w) / span);
      return minLr + (base - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    case 'onecycle': {
      const initial = config.maxLr / config.divFactor;
      const final = initial / config.finalDivFactor;
      const peakStep = config.pctStart * totalSteps - 1;
      const lastStep = totalSteps - 1;
      const s = Math.min(step, lastStep);
      if (s <= peakStep) return annealCos(initial, config.maxLr, peakStep > 0 ? s / peakStep : 1);
      return annealCos(config.maxLr, final, (s - peakStep) / (lastStep - peakStep));
    }
  }
}

/** A function of the step, with the config parsed once. */
export function makeSchedule(config: ScheduleConfigInput, totalSteps: number, stepsPerEpoch = 1): (step: number) => number {
  const c = ScheduleConfigSchema.parse(config);
  learningRateAt(c, 0, totalSteps, stepsPerEpoch);
  return (step) => learningRateAt(c, step, totalSteps, stepsPerEpoch);
}

export interface SchedulePoint {
  step: number;
  lr: number;
}

/** `points` evenly spaced steps from 0 to totalSteps − 1 (both included) for the preview plot. */
export function sampleSchedule(config: ScheduleConfigInput, totalSteps: number, points: number, stepsPerEpoch = 1): SchedulePoint[] {
  const at = makeSchedule(config, totalSteps, stepsPerEpoch);
  const n = Math.max(1, Math.min(Math.floor(points), totalSteps));
  const steps = n === 1 ? [0] : Array.from({ length: n }, (_, i) => Math.round((i * (totalSteps - 1)) / (n - 1)));
  return [...new Set(steps)].map((step) => ({ step, lr: at(step) }));
}
