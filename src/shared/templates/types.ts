import type { GraphDoc, Task } from '../graph/types';

export const TEMPLATE_FAMILIES = ['cnn', 'mobile', 'transformer', 'segmentation', 'detection'] as const;
export type TemplateFamily = (typeof TEMPLATE_FAMILIES)[number];

/** The implementation a template reproduces, and its size there (at the template's input and classes). */
export interface TemplateReference {
  /** e.g. `torchvision resnet18`, or `tests/fixtures/reference_models.py UNetSmall`. */
  source: string;
  params: number;
  /** Multiply-accumulates of one forward pass (1 MAC = 2 FLOPs; attention matmuls included). */
  macs: number;
}

export interface Template {
  id: string;
  name: string;
  family: TemplateFamily;
  task: Task;
  description: string;
  /** Per-sample input `[H, W, C]`. */
  input: [number, number, number];
  classes: number;
  reference?: TemplateReference;
  /** What it trains well on here: a dataset and TrainConfig overrides (the CLI and the Train panel start from them). */
  recommended?: { dataset: string; config: Record<string, unknown> };
  build(): GraphDoc;
}

/** The common fields of an ImageNet classifier template (224×224×3, 1000 classes). */
export const imagenet = (family: TemplateFamily): Pick<Template, 'family' | 'task' | 'input' | 'classes'> => ({
  family,
  task: 'classification',
  input: [224, 224, 3],
  classes: 1000,
});
