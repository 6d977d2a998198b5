/**
 * The augmentations the engine applies (src/main/engine/data/augment), described for the Train panel: what
 * each one does and the controls for its parameters. The host validates the config (zod) when a run starts
 * or a preview is asked for, so a field out of range is reported, never silently clamped.
 */

export type Task = 'classification' | 'detection' | 'segmentation';

export type ParamSpec =
  | { key: string; label: string; kind: 'number'; min: number; max: number; step: number; default: number }
  | { key: string; label: string; kind: 'range'; min: number; max: number; step: number; default: [number, number] }
  | { key: string; label: string; kind: 'enum'; options: readonly string[]; default: string };

export interface AugmentSpec {
  id: string;
  label: string;
  doc: string;
  group: 'geometric' | 'photometric' | 'erasing' | 'mixing';
  tasks: readonly Task[];
  defaultP: number;
  params: readonly ParamSpec[];
}

const ALL: readonly Task[] = ['classification', 'detection', 'segmentation'];
const FILL = ['zero', 'edge', 'reflect'] as const;

export const AUGMENTATIONS: readonly AugmentSpec[] = [
  { id: 'hflip', label: 'Horizontal flip', group: 'geometric', tasks: ALL, defaultP: 0.5, doc: 'Mirrors the image left to right. Safe for most photos; wrong for text or digits.', params: [] },
  { id: 'vflip', label: 'Vertical flip', group: 'geometric', tasks: ALL, defaultP: 0.5, doc: 'Mirrors the image top to bottom. For images without a natural "up" (aerial, microscopy).', params: [] },
  {
    id: 'translate',
    label: 'Random crop (pad + crop)',
    group: 'geometric',
    tasks: ALL,
    defaultP: 1,
    doc: 'Pads by `padding` pixels and crops back at a random offset: a shift of up to ±padding pixels (the CIFAR recipe).',
    params: [
      { key: 'padding', label: 'padding (px)', kind: 'number', min: 0, max: 128, step: 1, default: 4 },
      { key: 'fill', label: 'fill', kind: 'enum', options: FILL, default: 'zero' },
    ],
  },
  {
    id: 'resizedCrop',
    label: 'Random resized crop',
    group: 'geometric',
    tasks: ALL,
    defaultP: 1,
    doc: 'Crops a random rectangle (area fraction `scale`, aspect `ratio`) and resizes it to the full size: zoom and reframe.',
    params: [
      { key: 'scale', label: 'area', kind: 'range', min: 0.01, max: 1, step: 0.01, default: [0.6, 1] },
      { key: 'ratio', label: 'aspect', kind: 'range', min: 0.1, max: 10, step: 0.05, default: [0.75, 4 / 3] },
    ],
  },
  {
    id: 'rotate',
    label: 'Rotate / scale',
    group: 'geometric',
    tasks: ALL,
    defaultP: 0.5,
    doc: 'Rotates by up to ±`degrees`, scales by a factor in `scale` and shifts by up to ±`translate` of the size.',
    params: [
      { key: 'degrees', label: 'degrees', kind: 'number', min: 0, max: 180, step: 1, default: 15 },
      { key: 'scale', label: 'scale', kind: 'range', min: 0.1, max: 4, step: 0.05, default: [1, 1] },
      { key: 'translate', label: 'translate', kind: 'number', min: 0, max: 0.5, step: 0.01, default: 0 },
      { key: 'fill', label: 'fill', kind: 'enum', options: FILL, default: 'zero' },
    ],
  },
  {
    id: 'colorJitter',
    label: 'Colour jitter',
    group: 'photometric',
    tasks: ALL,
    defaultP: 0.8,
    doc: 'Random brightness, contrast, saturation and hue (photometric / HSV distortion).',
    params: [
      { key: 'brightness', label: 'brightness', kind: 'number', min: 0, max: 1, step: 0.05, default: 0.3 },
      { key: 'contrast', label: 'contrast', kind: 'number', min: 0, max: 1, step: 0.05, default: 0.3 },
      { key: 'saturation', label: 'saturation', kind: 'number', min: 0, max: 1, step: 0.05, default: 0.3 },
      { key: 'hue', label: 'hue', kind: 'number', min: 0, max: 0.5, step: 0.01, default: 0.05 },
    ],
  },
  {
    id: 'cutout',
    label: 'Cutout',
    group: 'erasing',
    tasks: ALL,
    defaultP: 0.5,
    doc: 'Fills `count` squares of side `size` (fraction of the shorter side) at random centres with `fill` (0 = black).',
    params: [
      { key: 'size', label: 'size', kind: 'number', min: 0.01, max: 1, step: 0.01, default: 0.25 },
      { key: 'count', label: 'count', kind: 'number', min: 1, max: 8, step: 1, default: 1 },
      { key: 'fill', label: 'fill value', kind: 'number', min: 0, max: 1, step: 0.05, default: 0 },
    ],
  },
  {
    id: 'randomErasing',
    label: 'Random erasing',
    group: 'erasing',
    tasks: ALL,
    defaultP: 0.5,
    doc: 'Replaces a random rectangle (area fraction `area`, aspect `ratio`) with noise, black or the image mean.',
    params: [
      { key: 'area', label: 'area', kind: 'range', min: 0.001, max: 1, step: 0.01, default: [0.02, 0.33] },
      { key: 'ratio', label: 'aspect', kind: 'range', min: 0.05, max: 20, step: 0.05, default: [0.3, 3.3] },
      { key: 'fill', label: 'fill', kind: 'enum', options: ['random', 'zero', 'mean'], default: 'random' },
    ],
  },
  { id: 'mixup', label: 'MixUp', group: 'mixing', tasks: ['classification', 'detection'], defaultP: 0.5, doc: 'Blends the image with another one, λ ~ Beta(α, α); the loss sees both labels weighted by λ.', params: [{ key: 'alpha', label: 'α', kind: 'number', min: 0.01, max: 10, step: 0.05, default: 0.2 }] },
  { id: 'cutmix', label: 'CutMix', group: 'mixing', tasks: ALL, defaultP: 0.5, doc: 'Pastes a rectangle of another image (area from λ ~ Beta(α, α)); labels are weighted by area.', params: [{ key: 'alpha', label: 'α', kind: 'number', min: 0.01, max: 10, step: 0.05, default: 1 }] },
  {
    id: 'mosaic',
    label: 'Mosaic',
    group: 'mixing',
    tasks: ['detection', 'segmentation'],
    defaultP: 0.5,
    doc: 'Stitches four images (each scaled by `tileScale`) around a random centre; boxes and masks follow. For detection.',
    params: [
      { key: 'center', label: 'centre', kind: 'range', min: 0.1, max: 0.9, step: 0.05, default: [0.3, 0.7] },
      { key: 'tileScale', label: 'tile scale', kind: 'number', min: 0.1, max: 1, step: 0.05, default: 0.5 },
    ],
  },
];

export interface AugmentState {
  enabled: boolean;
  p: number;
  [param: string]: unknown;
}

/** The stored state of one augmentation, with defaults filled in. */
export function augmentState(spec: AugmentSpec, raw: unknown): AugmentState {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: AugmentState = { enabled: r.enabled === true, p: typeof r.p === 'number' ? r.p : spec.defaultP };
  for (const p of spec.params) out[p.key] = r[p.key] ?? p.default;
  return out;
}

/** Only the enabled augmentations (what a run and a preview need). */
export function enabledAugment(augment: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of AUGMENTATIONS) {
    const s = augmentState(spec, augment[spec.id]);
    if (s.enabled) out[spec.id] = s;
  }
  return out;
}
