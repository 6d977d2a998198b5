/** The image a prediction is asked for: an uploaded file (as a data URL) or a validation sample of the run. */
export interface PredictImage {
  dataUrl?: string;
  sampleIndex?: number;
  name?: string;
}

/** Validation thumbnails offered. */
export const SAMPLE_COUNT = 16;

/** Largest file read (the host refuses more than ~27 MB of image). */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

/** Reads a picked or dropped file; refuses what is plainly not a PNG/JPEG or too large, with a clear message. */
export function readImageFile(file: File): Promise<PredictImage> {
  if (file.size === 0) return Promise.reject(new Error(`'${file.name}' is empty, not a PNG or JPEG image`));
  if (file.size > MAX_FILE_BYTES) return Promise.reject(new Error(`'${file.name}' is ${(file.size / 1e6).toFixed(0)} MB; pick an image under ${MAX_FILE_BYTES / 1024 / 1024} MB`));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ dataUrl: String(reader.result), name: file.name });
    reader.onerror = () => reject(new Error(`'${file.name}' cannot be read`));
    reader.readAsDataURL(file);
  });
}

const BOX_COLORS = ['#ff5d5d', '#4fc3f7', '#ffd54f', '#81c784', '#ba68c8', '#ff8a65', '#4db6ac', '#f06292', '#aed581', '#9575cd'];
export const boxColor = (cls: number): string => BOX_COLORS[cls % BOX_COLORS.length];
