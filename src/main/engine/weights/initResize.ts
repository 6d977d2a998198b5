/** What a run initialised from pretrained weights says about the resize its dataset's images went through. */
import { describeResizeCrop, type EvalCrop } from '../data/image/resizeCrop';
import type { DatasetInfo } from '../data/types';

/** `Resize(256) + CenterCrop(224)`, as torchvision writes the transform. */
function torchvisionName(crop: EvalCrop): string {
  const [h, w] = crop.input;
  return `Resize(${crop.shorter}) + CenterCrop(${h === w ? h : `[${h}, ${w}]`})`;
}

/**
 * The log line for a run whose weights expect `crop`: the folder's images were resized and centre-cropped (with
 * the scaled side when the run's input differs from the weights'), or, for a YOLO folder, stretched as before.
 * Built-in sets are made at their size: nothing to say.
 */
export function folderResizeNote(info: DatasetInfo, crop: EvalCrop): string | undefined {
  const [h, w] = info.shape;
  if (info.resizeShorter) {
    const same = h === crop.input[0] && w === crop.input[1];
    const how = same ? `the weights' ${torchvisionName(crop)}` : `the weights' ${torchvisionName(crop)}, scaled to this run's ${h}×${w} input`;
    return `Folder images (train and validation): ${describeResizeCrop(info.resizeShorter, [h, w])}, as ${how}; augmentations apply to the cropped images.`;
  }
  if (info.id.startsWith('folder:')) return `Folder images are stretched to ${h}×${w}: the weights expect ${torchvisionName(crop)}, but a detection folder's boxes are not cropped.`;
  return undefined;
}

/**
 * The crop a run's folder images went through (run.json's data), to load them again the same way: its validation
 * samples in Predict and on the run's page, and a run initialised from this one.
 */
export function recordedCrop(data: { shape?: readonly number[]; resizeShorter?: number } | undefined): EvalCrop | undefined {
  const shape = data?.shape;
  if (!data?.resizeShorter || !shape || shape.length !== 3) return undefined;
  return { shorter: data.resizeShorter, input: [shape[0], shape[1]] };
}
