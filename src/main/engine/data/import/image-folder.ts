/** Imports a classification folder: one subfolder per class, PNG/JPEG images of any size. */
import { basename, join, resolve } from 'node:path';
import { createDataset } from '../array-dataset';
import { DataError } from '../errors';
import { rngFor } from '../rng';
import { stratifiedSplit } from '../splits';
import type { LoadResult, SkippedItem } from '../types';
import { fileKind, filesUnder, loadImageFile, parseSize, reasonOf, rel, requireFolder, subfolders } from './files';

export interface ImageFolderOptions {
  /** Output size: a side or [height, width] (default 64). Images are stretched, bilinear. */
  size?: number | [number, number];
  /** 3 = RGB (default), 1 = grey. */
  channels?: 1 | 3;
  /** Split seed (default 0). */
  seed?: number;
  valFraction?: number;
  testFraction?: number;
  /** Called after each file. */
  onProgress?: (done: number, total: number) => void;
}

export async function importImageFolder(dir: string, opts: ImageFolderOptions = {}): Promise<LoadResult> {
  const root = resolve(dir);
  await requireFolder(root);
  const [h, w] = parseSize(opts.size, 64);
  const channels = opts.channels ?? 3;
  const classes = await subfolders(root);
  if (classes.length < 2) {
    const loose = (await filesUnder(root)).filter((f) => fileKind(f) === 'image').length;
    throw new DataError(
      'too-few-classes',
      `Image folder ${root} needs at least two class subfolders (one per class, e.g. cat/ and dog/); found ${classes.length}` +
        (classes.length ? ` (${classes.join(', ')})` : '') +
        (loose && !classes.length ? ` and ${loose} image(s) directly inside it` : ''),
      root,
    );
  }
  const jobs: { path: string; cls: number }[] = [];
  for (const [cls, name] of classes.entries()) for (const path of await filesUnder(join(root, name))) jobs.push({ path, cls });
  const skipped: SkippedItem[] = [];
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  let done = 0;
  for (const job of jobs) {
    const kind = fileKind(job.path);
    if (kind === 'unsupported') skipped.push({ path: rel(root, job.path), reason: 'unsupported format; use PNG or JPEG' });
    else if (kind === 'image') {
      try {
        images.push(await loadImageFile(job.path, h, w, channels));
        labels.push(job.cls);
      } catch (e) {
        skipped.push({ path: rel(root, job.path), reason: reasonOf(e) });
      }
    }
    opts.onProgress?.(++done, jobs.length);
  }
  const counts = classes.map((_, k) => labels.filter((l) => l === k).length);
  const warnings = classes.filter((_, k) => counts[k] === 0).map((name) => `Class folder ${name}/ has no readable image`);
  const usable = classes.filter((_, k) => counts[k] > 0);
  if (usable.length < 2)
    throw new DataError(
      'too-few-classes',
      `Image folder ${root} needs readable images in at least two class subfolders; found them in ${usable.length}` +
        (usable.length ? ` (${usable.join(', ')})` : '') +
        (skipped.length ? `; ${skipped.length} file(s) were unreadable` : ''),
      root,
    );
  const px = h * w * channels;
  const store = new Uint8Array(images.length * px);
  images.forEach((im, i) => store.set(im, i * px));
  const labelArr = Int32Array.from(labels);
  const splits = stratifiedSplit(labelArr, classes.length, { val: opts.valFraction ?? 0.1, test: opts.testFraction ?? 0.1 }, rngFor('split', opts.seed ?? 0));
  const dataset = createDataset(
    { id: `folder:${root}`, name: basename(root), task: 'classification', classes, source: root },
    { shape: [h, w, channels], images: store, labels: labelArr, splits },
  );
  return { dataset, skipped, warnings };
}
