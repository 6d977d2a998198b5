/** Imports a classification folder: one subfolder per class, PNG/JPEG images of any size. */
import { basename, resolve } from 'node:path';
import { createDataset } from '../array-dataset';
import { DataError } from '../errors';
import { poolSize } from '../image/decodePool';
import { shorterSideFor, type EvalCrop } from '../image/resizeCrop';
import { rngFor } from '../rng';
import { stratifiedSplit } from '../splits';
import type { LoadResult, SkippedItem } from '../types';
import { MAX_CLASSES } from './limits';
import { filesUnder, loadImageFile, mapLimit, notAnImageReason, parseSize, reasonOf, readTopFolder, rel, requireFolder, skippedExamples, sortSkipped } from './files';

export interface ImageFolderOptions {
  /** Output size: a side or [height, width] (default 64). Images are stretched, bilinear, unless `crop` is given. */
  size?: number | [number, number];
  /** The eval transform of pretrained weights (a run initialised from a model folder): each image's shorter side is resized, then centre-cropped to `size` (shorterSideFor scales it to `size`). */
  crop?: EvalCrop;
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
  const shorter = opts.crop ? shorterSideFor(opts.crop, [h, w]) : undefined;
  const top = await readTopFolder(root, root);
  const skipped: SkippedItem[] = [...top.skipped];
  const classes = top.folders.map((f) => f.name);
  if (classes.length > MAX_CLASSES)
    throw new DataError('bad-labels', `Image folder ${root} has ${classes.length} subfolders; at most ${MAX_CLASSES} classes are supported`, root);
  if (classes.length < 2) {
    const loose = top.files.filter((f) => notAnImageReason(f.path) === undefined).length;
    throw new DataError(
      'too-few-classes',
      `Image folder ${root} needs at least two class subfolders (one per class, e.g. cat/ and dog/); found ${classes.length}` +
        (classes.length ? ` (${classes.join(', ')})` : '') +
        (loose && !classes.length ? ` and ${loose} image(s) directly inside it` : ''),
      root,
      sortSkipped(skipped),
    );
  }
  for (const f of top.files) skipped.push({ path: rel(root, f.path), reason: 'not inside a class folder' });

  const jobs: { path: string; cls: number }[] = [];
  for (const [cls, folder] of top.folders.entries()) {
    const found = await filesUnder(root, folder.path);
    for (const s of found.skipped) skipped.push(s);
    for (const path of found.files) {
      const why = notAnImageReason(path);
      if (why) skipped.push({ path: rel(root, path), reason: why });
      else jobs.push({ path, cls });
    }
  }
  let done = 0;
  const loaded = await mapLimit(jobs, poolSize() * 2, async (job) => {
    try {
      return await loadImageFile(job.path, h, w, channels, shorter);
    } catch (e) {
      return { path: rel(root, job.path), reason: reasonOf(e) } satisfies SkippedItem;
    } finally {
      opts.onProgress?.(++done, jobs.length);
    }
  });
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  const counts = new Array<number>(classes.length).fill(0);
  loaded.forEach((r, i) => {
    if (r instanceof Uint8Array) {
      images.push(r);
      labels.push(jobs[i].cls);
      counts[jobs[i].cls]++;
    } else skipped.push(r);
  });
  const warnings = classes.filter((_, k) => counts[k] === 0).map((name) => `Class folder ${name}/ has no readable image`);
  const usable = classes.filter((_, k) => counts[k] > 0);
  if (usable.length < 2) {
    sortSkipped(skipped);
    throw new DataError(
      'too-few-classes',
      `Image folder ${root} needs readable images in at least two class subfolders; found them in ${usable.length}` +
        (usable.length ? ` (${usable.join(', ')})` : '') +
        (skipped.length ? `; ${skipped.length} file(s) were skipped: ${skippedExamples(skipped)}` : ''),
      root,
      skipped,
    );
  }
  const px = h * w * channels;
  const store = new Uint8Array(images.length * px);
  images.forEach((im, i) => store.set(im, i * px));
  const labelArr = Int32Array.from(labels);
  const splits = stratifiedSplit(labelArr, classes.length, { val: opts.valFraction ?? 0.1, test: opts.testFraction ?? 0.1 }, rngFor('split', opts.seed ?? 0));
  const dataset = createDataset(
    { id: `folder:${root}`, name: basename(root), task: 'classification', classes, source: root, ...(shorter ? { resizeShorter: shorter } : {}) },
    { shape: [h, w, channels], images: store, labels: labelArr, splits },
  );
  return { dataset, skipped: sortSkipped(skipped), warnings };
}
