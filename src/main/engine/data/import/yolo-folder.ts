/**
 * Imports a YOLO detection folder: images/ and labels/ side by side (labels/x/y.txt for images/x/y.png),
 * optionally with train/, val/ (or valid/) and test/ subfolders, and class names in classes.txt or data.yaml.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { createDataset, largestBoxClass } from '../array-dataset';
import { DataError } from '../errors';
import { rngFor } from '../rng';
import { randomSplit, type SplitIndices } from '../splits';
import type { Box, LoadResult, SkippedItem, SplitName } from '../types';
import { poolSize } from '../image/decodePool';
import { filesUnder, loadImageFile, mapLimit, MAX_LABEL_FILE_BYTES, MAX_NAMES_FILE_BYTES, notAnImageReason, parseSize, readTextFile, readTopFolder, reasonOf, rel, requireFolder, skippedExamples, sortSkipped } from './files';
import { parseClassesTxt, parseDataYamlNames, parseYoloLabels } from './yolo-labels';

export interface YoloFolderOptions {
  /** Output size: a side or [height, width] (default 96). Images are stretched; relative boxes are unchanged. */
  size?: number | [number, number];
  channels?: 1 | 3;
  /** Split seed for folders without split subfolders (default 0). */
  seed?: number;
  valFraction?: number;
  testFraction?: number;
  onProgress?: (done: number, total: number) => void;
}

export function isYoloFolder(dir: string): boolean {
  return existsSync(join(dir, 'images')) && existsSync(join(dir, 'labels'));
}

const SPLIT_DIRS: Record<string, SplitName> = { train: 'train', val: 'val', valid: 'val', validation: 'val', test: 'test' };

/** A names file, read as a regular file of bounded size; a FIFO or an oversized file is a DataError naming it. */
async function readNamesFile(root: string, f: string): Promise<string> {
  try {
    return await readTextFile(f, MAX_NAMES_FILE_BYTES);
  } catch (e) {
    throw new DataError('bad-labels', `${rel(root, f)} cannot be read: it ${reasonOf(e)}`, f);
  }
}

async function classNames(root: string): Promise<string[] | undefined> {
  for (const f of [join(root, 'classes.txt'), join(root, 'labels', 'classes.txt')])
    if (existsSync(f)) return parseClassesTxt(await readNamesFile(root, f), rel(root, f));
  for (const f of ['data.yaml', 'data.yml', 'dataset.yaml', 'dataset.yml'].map((n) => join(root, n)))
    if (existsSync(f)) {
      const names = parseDataYamlNames(await readNamesFile(root, f), rel(root, f));
      if (names) return names;
    }
  return undefined;
}

export async function importYoloFolder(dir: string, opts: YoloFolderOptions = {}): Promise<LoadResult> {
  const root = resolve(dir);
  await requireFolder(root);
  const imagesDir = join(root, 'images');
  await requireFolder(imagesDir, 'YOLO images folder');
  await requireFolder(join(root, 'labels'), 'YOLO labels folder');
  const [h, w] = parseSize(opts.size, 96);
  const channels = opts.channels ?? 3;
  const names = await classNames(root);
  const skipped: SkippedItem[] = [];
  const warnings: string[] = [];

  const top = await readTopFolder(root, imagesDir);
  const splitDirs = top.folders.filter((d) => d.name.toLowerCase() in SPLIT_DIRS);
  const jobs: { path: string; split?: SplitName }[] = [];
  const found: { dir: string; split?: SplitName }[] = splitDirs.length > 0 ? splitDirs.map((d) => ({ dir: d.path, split: SPLIT_DIRS[d.name.toLowerCase()] })) : [{ dir: imagesDir }];
  for (const { dir: d, split } of found) {
    const listing = await filesUnder(root, d);
    for (const s of listing.skipped) skipped.push(s);
    for (const path of listing.files) {
      const why = notAnImageReason(path);
      if (why) skipped.push({ path: rel(root, path), reason: why });
      else jobs.push({ path, split });
    }
  }
  if (splitDirs.length > 0) {
    for (const s of top.skipped) skipped.push(s);
    for (const f of [...top.files, ...top.folders.filter((d) => !splitDirs.includes(d))]) skipped.push({ path: rel(root, f.path), reason: 'outside the split folders (train/, val/, test/)' });
  }

  type Loaded = { pixels: Uint8Array; boxes: Box[]; issues: SkippedItem[]; labelled: boolean; split?: SplitName };
  let done = 0;
  const loaded = await mapLimit(jobs, poolSize() * 2, async (job): Promise<Loaded | SkippedItem> => {
    const labelPath = join(root, 'labels', relative(imagesDir, dirname(job.path)), `${basename(job.path, extname(job.path))}.txt`);
    try {
      const pixels = await loadImageFile(job.path, h, w, channels);
      if (!existsSync(labelPath)) return { pixels, boxes: [], issues: [], labelled: false, split: job.split };
      let text: string;
      try {
        text = await readTextFile(labelPath, MAX_LABEL_FILE_BYTES);
      } catch (e) {
        return { path: rel(root, labelPath), reason: `${reasonOf(e)}; its image ${rel(root, job.path)} is left out` };
      }
      const parsed = parseYoloLabels(text, rel(root, labelPath), names?.length);
      return { pixels, boxes: parsed.boxes, issues: parsed.issues, labelled: true, split: job.split };
    } catch (e) {
      return { path: rel(root, job.path), reason: reasonOf(e) };
    } finally {
      opts.onProgress?.(++done, jobs.length);
    }
  });
  const images: Uint8Array[] = [];
  const boxes: Box[][] = [];
  const splitOf: (SplitName | undefined)[] = [];
  let unlabelled = 0;
  let maxCls = -1;
  for (const r of loaded) {
    if (!('pixels' in r)) {
      skipped.push(r);
      continue;
    }
    for (const issue of r.issues) skipped.push(issue);
    if (!r.labelled) unlabelled++;
    for (const b of r.boxes) maxCls = Math.max(maxCls, b.cls);
    images.push(r.pixels);
    boxes.push(r.boxes);
    splitOf.push(r.split);
  }
  if (images.length === 0) {
    sortSkipped(skipped);
    throw new DataError('empty', `YOLO folder ${root} has no readable PNG or JPEG image under images/${skipped.length ? `; ${skipped.length} file(s) were skipped: ${skippedExamples(skipped)}` : ''}`, root, skipped);
  }
  if (unlabelled > 0) warnings.push(`${unlabelled} image(s) have no label file and are used as background (no boxes)`);

  const classes = names ?? Array.from({ length: maxCls + 1 }, (_, i) => String(i));
  if (!names) warnings.push('No classes.txt or data.yaml names: classes are named by their ids');
  if (classes.length === 0) throw new DataError('empty', `YOLO folder ${root} has no valid box and no class names`, root);

  let splits: SplitIndices;
  if (splitDirs.length > 0) {
    const pick = (s: SplitName) => Int32Array.from(splitOf.flatMap((x, i) => (x === s ? [i] : [])));
    splits = { train: pick('train'), val: pick('val'), test: pick('test') };
    if (splits.train.length === 0) warnings.push('images/ has split folders but no train/ images');
  } else splits = randomSplit(images.length, { val: opts.valFraction ?? 0.1, test: opts.testFraction ?? 0.1 }, rngFor('split', opts.seed ?? 0));

  const px = h * w * channels;
  const store = new Uint8Array(images.length * px);
  images.forEach((im, i) => store.set(im, i * px));
  const dataset = createDataset(
    { id: `folder:${root}`, name: basename(root), task: 'detection', classes, source: root },
    { shape: [h, w, channels], images: store, labels: Int32Array.from(boxes, largestBoxClass), boxes, splits },
  );
  return { dataset, skipped: sortSkipped(skipped), warnings };
}
