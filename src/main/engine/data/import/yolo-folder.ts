/**
 * Imports a YOLO detection folder: images/ and labels/ side by side (labels/x/y.txt for images/x/y.png),
 * optionally with train/, val/ (or valid/) and test/ subfolders, and class names in classes.txt or data.yaml.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { createDataset, largestBoxClass } from '../array-dataset';
import { DataError } from '../errors';
import { rngFor } from '../rng';
import { randomSplit, type SplitIndices } from '../splits';
import type { Box, LoadResult, SkippedItem, SplitName } from '../types';
import { fileKind, filesUnder, loadImageFile, parseSize, reasonOf, rel, requireFolder, subfolders } from './files';
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

async function classNames(root: string): Promise<string[] | undefined> {
  for (const f of [join(root, 'classes.txt'), join(root, 'labels', 'classes.txt')])
    if (existsSync(f)) return parseClassesTxt(await readFile(f, 'utf8'));
  for (const f of ['data.yaml', 'data.yml', 'dataset.yaml', 'dataset.yml'].map((n) => join(root, n)))
    if (existsSync(f)) {
      const names = parseDataYamlNames(await readFile(f, 'utf8'));
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

  const splitDirs = (await subfolders(imagesDir)).filter((d) => d.toLowerCase() in SPLIT_DIRS);
  const jobs: { path: string; split?: SplitName }[] = [];
  if (splitDirs.length > 0)
    for (const d of splitDirs) for (const path of await filesUnder(join(imagesDir, d))) jobs.push({ path, split: SPLIT_DIRS[d.toLowerCase()] });
  else for (const path of await filesUnder(imagesDir)) jobs.push({ path });

  const images: Uint8Array[] = [];
  const boxes: Box[][] = [];
  const splitOf: (SplitName | undefined)[] = [];
  let done = 0;
  let unlabelled = 0;
  for (const job of jobs) {
    const kind = fileKind(job.path);
    if (kind === 'unsupported') skipped.push({ path: rel(root, job.path), reason: 'unsupported format; use PNG or JPEG' });
    if (kind === 'image') {
      const labelPath = join(root, 'labels', relative(imagesDir, dirname(job.path)), `${basename(job.path, extname(job.path))}.txt`);
      try {
        const pixels = await loadImageFile(job.path, h, w, channels);
        let list: Box[] = [];
        if (existsSync(labelPath)) {
          const parsed = parseYoloLabels(await readFile(labelPath, 'utf8'), rel(root, labelPath), names?.length);
          skipped.push(...parsed.issues);
          list = parsed.boxes;
        } else unlabelled++;
        images.push(pixels);
        boxes.push(list);
        splitOf.push(job.split);
      } catch (e) {
        skipped.push({ path: rel(root, job.path), reason: reasonOf(e) });
      }
    }
    opts.onProgress?.(++done, jobs.length);
  }
  if (images.length === 0) throw new DataError('empty', `YOLO folder ${root} has no readable PNG or JPEG image under images/`, root);
  if (unlabelled > 0) warnings.push(`${unlabelled} image(s) have no label file and are used as background (no boxes)`);

  const maxCls = Math.max(-1, ...boxes.flat().map((b) => b.cls));
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
  return { dataset, skipped, warnings };
}
