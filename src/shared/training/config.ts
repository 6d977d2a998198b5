import { z } from 'zod';
import { NODE_INITS } from '../graph/types';

/** A run's training configuration: a portable document (with the graph and the dataset it defines a run). */

export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw'] as const;
export const SCHEDULES = ['constant', 'step', 'exponential', 'cosine', 'onecycle'] as const;
export const LOSSES = ['auto', 'cross_entropy', 'bce', 'focal', 'mse', 'l1', 'smooth_l1'] as const;
export const INITS = NODE_INITS;
export const BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu', 'torch'] as const;
/** Where the PyTorch engine trains: auto takes a GPU (CUDA/ROCm, then Apple) when there is one. */
export const TORCH_DEVICES = ['auto', 'cuda', 'mps', 'cpu'] as const;

const positive = z.number().positive();
const nonNegative = z.number().min(0);

export const optimizerSchema = z.object({
  name: z.enum(OPTIMIZERS).default('adam'),
  lr: positive.default(1e-3),
  momentum: nonNegative.max(1).default(0.9),
  beta1: nonNegative.lt(1).default(0.9),
  beta2: nonNegative.lt(1).default(0.999),
  epsilon: positive.default(1e-8),
  /** Decoupled decay for AdamW; L2 for the others is `regularization.l2`. */
  weightDecay: nonNegative.default(0.01),
});

export const scheduleSchema = z.object({
  name: z.enum(SCHEDULES).default('cosine'),
  warmupEpochs: nonNegative.default(0),
  /** step: multiply by gamma every stepEpochs; exponential: lr0·gamma^epoch. */
  stepEpochs: positive.default(10),
  gamma: positive.max(1).default(0.1),
  /** cosine / one-cycle floor, as a fraction of lr. */
  minLrFactor: nonNegative.max(1).default(0.01),
});

export const lossSchema = z.object({
  name: z.enum(LOSSES).default('auto'),
  labelSmoothing: nonNegative.max(0.5).default(0),
  focalGamma: nonNegative.default(2),
  focalAlpha: nonNegative.max(1).default(0.25),
});

/** Gradient clipping: by global norm (value = max ‖g‖) or element-wise (value = max |g|). */
export const clipSchema = z.object({ mode: z.enum(['none', 'norm', 'value']).default('none'), value: positive.default(1) });

/**
 * Detection (YOLO-style heads). Loss = (w_box·Σ_pos box + w_obj·Σ_all obj + w_cls·Σ_pos cls) / max(1, #positives);
 * see src/main/engine/detect/assign.ts for which predictions are positives.
 */
export const detectionSchema = z.object({
  /** IoU-family losses on decoded boxes, or smooth L1 on the encoded offsets (σ(tx), σ(ty), tw, th). */
  boxLoss: z.enum(['ciou', 'diou', 'giou', 'iou', 'smooth_l1']).default('ciou'),
  objectness: z.enum(['bce', 'focal']).default('bce'),
  /** bce: one sigmoid per class (YOLOv3, multi-label); ce: softmax over the classes. */
  classLoss: z.enum(['bce', 'ce']).default('bce'),
  /** Classification was the bottleneck on shapes-det: cls 3 (vs 1) took mAP@0.5 after 2 epochs from 0.63 to 0.87. */
  weights: z.object({ box: nonNegative.default(5), obj: nonNegative.default(1), cls: nonNegative.default(3) }).default({ box: 5, obj: 1, cls: 3 }),
  /** Negatives whose predicted box overlaps a ground-truth box by more than this IoU are left out of the objectness loss (YOLOv3); 1 = never. */
  ignoreIoU: nonNegative.max(1).default(0.5),
  /**
   * Hard negative mining (SSD's OHEM, note 000/004): r > 0 keeps, per image, only the r·max(1, P) negatives with the
   * highest objectness loss (P = the image's positives); the easy rest is left out. 0 = every negative counts (YOLO).
   */
  hardNegativeRatio: nonNegative.max(1000).default(0),
  /** Besides the best anchor, every anchor whose width and height are within this factor of a box's learns it too (YOLOv5's anchor_t); 1 = the best anchor only (YOLOv3). */
  anchorRatio: z.number().min(1).default(4),
  /** Anchor sizes [w, h] in input pixels, smallest first, split across the heads from the finest stride; default: k-means (1 − IoU) on the training boxes. */
  anchors: z.array(z.tuple([positive, positive])).optional(),
  nms: z
    .object({
      method: z.enum(['hard', 'linear', 'gaussian']).default('hard'),
      iouThreshold: nonNegative.max(1).default(0.5),
      /** Candidates below this score (objectness × class probability) are dropped before NMS; low, as mAP needs the whole ranking. */
      scoreThreshold: nonNegative.max(1).default(0.001),
      maxDetections: z.number().int().positive().default(100),
      sigma: positive.default(0.5),
    })
    .default({ method: 'hard', iouThreshold: 0.5, scoreThreshold: 0.001, maxDetections: 100, sigma: 0.5 }),
  /** Score from which a box is drawn in the sample predictions. */
  displayScore: nonNegative.max(1).default(0.3),
});

/** Segmentation: per-pixel loss (`loss.name`: auto/cross_entropy or focal) plus diceWeight × soft Dice. */
export const segmentationSchema = z.object({
  diceWeight: nonNegative.default(1),
});

export const trainConfigSchema = z.object({
  epochs: z.number().int().min(1).max(10_000).default(5),
  batchSize: z.number().int().min(1).max(4096).default(64),
  optimizer: optimizerSchema.default(optimizerSchema.parse({})),
  schedule: scheduleSchema.default(scheduleSchema.parse({})),
  loss: lossSchema.default(lossSchema.parse({})),
  regularization: z.object({ l1: nonNegative.default(0), l2: nonNegative.default(0) }).default({ l1: 0, l2: 0 }),
  clip: clipSchema.default({ mode: 'none', value: 1 }),
  earlyStopping: z
    .object({ enabled: z.boolean().default(false), metric: z.enum(['val_loss', 'val_accuracy']).default('val_loss'), patience: z.number().int().min(1).default(3), minDelta: nonNegative.default(0) })
    .default({ enabled: false, metric: 'val_loss', patience: 3, minDelta: 0 }),
  augment: z.record(z.string(), z.unknown()).default({}),
  init: z.enum(INITS).default('auto'),
  backend: z.enum(BACKENDS).default('auto'),
  /** The PyTorch engine's device (backend 'torch'). */
  device: z.enum(TORCH_DEVICES).default('auto'),
  /** PyTorch engine: data-parallel processes under torchrun (DDP), each training on a slice of every batch. */
  nproc: z.number().int().min(1).max(64).default(1),
  seed: z.number().int().default(42),
  /**
   * Threads that compute each batch's gradients (data parallelism on the wasm backend; classification):
   * 'auto' uses the cores when the batch is large enough, 1 trains on one thread. Results are reproducible
   * for a given seed and thread count.
   */
  workers: z.union([z.literal('auto'), z.number().int().min(1).max(16)]).default('auto'),
  /** Probes (gradients, weights, BN, activations) every N steps; 0 turns them off. */
  probeEvery: z.number().int().min(0).default(20),
  checkpointEvery: z.number().int().min(1).default(1),
  /** Checkpoints kept: `best`, `last`, the newest epoch and every Nth epoch; the other epochs are pruned after each save. */
  checkpointKeepEvery: z.number().int().min(1).default(5),
  /** Use only the first N training / validation samples (quick experiments, tests). */
  trainLimit: z.number().int().min(1).optional(),
  valLimit: z.number().int().min(1).optional(),
  /** Detection options; defaults apply when absent. */
  detection: detectionSchema.optional(),
  /** Segmentation options; defaults apply when absent. */
  segmentation: segmentationSchema.optional(),
  /**
   * Start from these weights: a lab model folder, a run folder or a checkpoint folder (absolute path). Tensors
   * are matched by block label and shape; the run's log reports what was loaded and skipped.
   */
  initFrom: z.string().min(1).max(4096).optional(),
  /** BatchNorm inside frozen blocks: 'running' normalises with the running statistics, 'update' keeps updating them. */
  frozenBatchNorm: z.enum(['running', 'update']).default('running'),
});

export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type OptimizerConfig = z.infer<typeof optimizerSchema>;
export type ScheduleConfig = z.infer<typeof scheduleSchema>;
export type LossConfig = z.infer<typeof lossSchema>;
export type ClipConfig = z.infer<typeof clipSchema>;
export type DetectionConfig = z.infer<typeof detectionSchema>;
export type SegmentationConfig = z.infer<typeof segmentationSchema>;

export const defaultTrainConfig = (): TrainConfig => trainConfigSchema.parse({});
