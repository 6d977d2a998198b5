// Detection in the exported train.py: the heads' levels and anchors, the loss options, and the Python that
// computes the loss. That Python is the runner's own files (python/netsmith_runner/losses.py, tasks.py: the
// detection loss term for term as the TF.js trainer computes it; assign.py: detect/assign.ts's target
// assignment), inlined at export time the way model.py inlines the blocks' .py files: no second copy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { GraphDoc } from '../../../../shared/graph/types';
import { detectionSchema, type TrainConfig } from '../../../../shared/training/config';
import { headSpecs, makeLevels } from '../../detect/levels';
import { PYTHON_ROOT } from '../../torch/discover';
import { detectionLossOptions } from '../../torch/tasks';

/** What train.py's DetectionLoss and target assignment need (tasks.ts's init message, plus anchorRatio). */
export interface TrainDetectionSpec {
  image: { h: number; w: number };
  levels: { output: number; stride: number; gridH: number; gridW: number; classes: number; anchors: [number, number][] }[];
  options: Record<string, unknown>;
  anchorRatio: number;
}

/** The model's YOLO heads with the run's anchors (its resolved detection config), or default anchors. */
export function trainDetectionSpec(graph: GraphDoc, model: tf.LayersModel, config: TrainConfig): TrainDetectionSpec {
  const options = detectionSchema.parse(config.detection ?? {});
  const [h, w] = graph.meta.input.shape;
  const image = { h, w };
  const levels = makeLevels(headSpecs(model, image), [], options.anchors);
  return {
    image,
    levels: levels.map((l) => ({ output: l.output, stride: l.stride, gridH: l.gridH, gridW: l.gridW, classes: l.classes, anchors: l.anchors })),
    options: detectionLossOptions(options, config),
    anchorRatio: options.anchorRatio,
  };
}

/** A module's code without its docstring and imports (train.py has one import block). */
export function pythonBody(source: string): string {
  const withoutDoc = source.replace(/^\s*"""[\s\S]*?"""\s*\n/, '');
  return withoutDoc
    .split('\n')
    .filter((line) => !/^(import \S|from \S+ import )/.test(line))
    .join('\n')
    .trim();
}

/** The runner's loss and assignment code, for train.py. */
export function detectionPython(): string {
  const files = ['losses.py', 'tasks.py', 'assign.py'];
  return files.map((f) => `# ---- from python/netsmith_runner/${f} ----\n${pythonBody(readFileSync(join(PYTHON_ROOT, 'netsmith_runner', f), 'utf8'))}`).join('\n\n\n');
}
