import { AUGMENTATIONS } from '../train/augmentations';

/**
 * Human labels for a run's configuration paths (`loss.focalAlpha` → "Focal loss α"), the words of the Train
 * panel, so the run page and Compare never show raw config keys.
 */
const LABELS: Record<string, string> = {
  dataset: 'Dataset',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  'optimizer.name': 'Optimizer',
  'optimizer.lr': 'Learning rate',
  'optimizer.momentum': 'Momentum',
  'optimizer.beta1': 'Adam β1',
  'optimizer.beta2': 'Adam β2',
  'optimizer.epsilon': 'Optimizer ε',
  'optimizer.weightDecay': 'Weight decay',
  'schedule.name': 'LR schedule',
  'schedule.warmupEpochs': 'Warmup epochs',
  'schedule.stepEpochs': 'LR step every (epochs)',
  'schedule.gamma': 'LR decay factor γ',
  'schedule.minLrFactor': 'Final LR (fraction of LR)',
  'loss.name': 'Loss',
  'loss.labelSmoothing': 'Label smoothing',
  'loss.focalGamma': 'Focal loss γ',
  'loss.focalAlpha': 'Focal loss α',
  'regularization.l1': 'L1 penalty',
  'regularization.l2': 'L2 penalty',
  'clip.mode': 'Gradient clipping',
  'clip.value': 'Clipping threshold',
  'earlyStopping.enabled': 'Early stopping',
  'earlyStopping.metric': 'Early stopping on',
  'earlyStopping.patience': 'Early stopping patience (epochs)',
  'earlyStopping.minDelta': 'Early stopping min. improvement',
  augment: 'Augmentations',
  init: 'Weight initialisation',
  backend: 'Backend',
  seed: 'Random seed',
  workers: 'Threads per batch',
  probeEvery: 'Probes every (steps)',
  checkpointEvery: 'Checkpoint every (epochs)',
  trainLimit: 'Training samples used',
  valLimit: 'Validation samples used',
  'detection.boxLoss': 'Box loss',
  'detection.objectness': 'Objectness loss',
  'detection.hardNegativeRatio': 'Hard negatives per positive',
  'detection.classLoss': 'Class loss',
  'detection.weights.box': 'Box loss weight',
  'detection.weights.obj': 'Objectness loss weight',
  'detection.weights.cls': 'Class loss weight',
  'detection.ignoreIoU': 'Ignore IoU (objectness)',
  'detection.anchorRatio': 'Anchor ratio',
  'detection.anchors': 'Anchors',
  'detection.nms.method': 'NMS method',
  'detection.nms.iouThreshold': 'NMS IoU threshold',
  'detection.nms.scoreThreshold': 'NMS score threshold',
  'detection.nms.maxDetections': 'Max. detections',
  'detection.nms.sigma': 'Soft-NMS σ',
  'detection.displayScore': 'Shown boxes from score',
  'segmentation.diceWeight': 'Dice loss weight',
};

/** "focalAlpha" → "focal alpha". */
const words = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** The label of a dotted configuration path; unknown paths get their words spelled out ("fooBar.bazQux" → "Foo bar: baz qux"). */
export function settingLabel(path: string): string {
  const known = LABELS[path];
  if (known) return known;
  const parts = path.split('.');
  if (parts[0] === 'augment' && parts.length >= 2) {
    const aug = AUGMENTATIONS.find((a) => a.id === parts[1]);
    const name = aug?.label ?? words(parts[1]);
    if (parts.length === 2) return `Augment: ${name}`;
    const key = parts.slice(2).join('.');
    const param = key === 'p' ? 'probability' : (aug?.params.find((p) => p.key === key)?.label ?? words(key));
    return `Augment: ${name}, ${param}`;
  }
  const text = parts.map(words).join(': ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const METRIC_WORDS: Record<string, string> = { loss: 'loss', accuracy: 'accuracy', top5: 'top-5 accuracy', mAP50: 'mAP@0.5', mAP: 'mAP@[.5:.95]', mIoU: 'mIoU', dice: 'Dice' };

/** A stored final metric's label: `val_top5` → "Validation top-5 accuracy", `train_loss` → "Training loss". */
export function metricLabel(key: string): string {
  const m = /^(train|val|test)_(.+)$/.exec(key);
  if (!m) return words(key.replace(/_/g, ' '));
  const split = { train: 'Training', val: 'Validation', test: 'Test' }[m[1] as 'train' | 'val' | 'test'];
  return `${split} ${METRIC_WORDS[m[2]] ?? words(m[2].replace(/_/g, ' '))}`;
}
