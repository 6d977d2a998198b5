/** YOLO label files (`cls xc yc w h` per line, relative) and class-name files (classes.txt, data.yaml). */
import { DataError } from '../errors';
import type { Box, SkippedItem } from '../types';
import { MAX_CLASSES, MAX_ISSUES_PER_FILE } from './limits';

const EPS = 1e-6;

/** A class id: digits only (YOLO writes "3"; some tools "3.0"), at most 9 of them, so `1e300` or `-1` never pass. */
const CLASS_ID = /^\d{1,9}(\.0*)?$/;

/**
 * Parses one label file. Bad lines are reported (path:line) and skipped; the rest are kept. Boxes that hang
 * over the image edge are clipped. Lines with more than 5 numbers are read as polygons (YOLO segmentation
 * format) and replaced by their bounding box.
 */
export function parseYoloLabels(text: string, path: string, numClasses?: number): { boxes: Box[]; issues: SkippedItem[] } {
  const boxes: Box[] = [];
  const issues: SkippedItem[] = [];
  const maxClasses = numClasses ?? MAX_CLASSES;
  let badLines = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const bad = (reason: string) => {
      if (++badLines <= MAX_ISSUES_PER_FILE) issues.push({ path, line: i + 1, reason: `${reason}: "${line.length > 60 ? `${line.slice(0, 60)}…` : line}"` });
    };
    const parts = line.split(/\s+/);
    if (parts.length < 5) return bad(`expected 5 values (class x_center y_center width height), got ${parts.length}`);
    if (parts.length > 5 && parts.length % 2 === 0) return bad(`expected 5 values, or a class and x y pairs, got ${parts.length}`);
    if (!CLASS_ID.test(parts[0])) return bad(`class must be a whole number from 0, got "${parts[0].length > 20 ? `${parts[0].slice(0, 20)}…` : parts[0]}"`);
    const nums = parts.map(Number);
    const badIdx = nums.findIndex((v) => !Number.isFinite(v));
    if (badIdx >= 0) return bad(`"${parts[badIdx]}" is not a number`);
    const cls = nums[0];
    if (cls >= maxClasses)
      return bad(numClasses !== undefined ? `class ${cls} is out of range (${numClasses} classes)` : `class ${cls} is out of range: without classes.txt or data.yaml names, ids must be below ${MAX_CLASSES}`);
    const coords = nums.slice(1);
    if (coords.some((v) => v < -EPS || v > 1 + EPS)) return bad('coordinates must be relative (0..1); pixel coordinates?');
    let x0: number, y0: number, x1: number, y1: number;
    if (coords.length === 4) {
      const [x, y, w, h] = coords;
      if (w <= 0 || h <= 0) return bad('width and height must be positive');
      [x0, y0, x1, y1] = [x - w / 2, y - h / 2, x + w / 2, y + h / 2];
    } else {
      [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
      for (let k = 0; k < coords.length; k += 2) {
        x0 = Math.min(x0, coords[k]);
        x1 = Math.max(x1, coords[k]);
        y0 = Math.min(y0, coords[k + 1]);
        y1 = Math.max(y1, coords[k + 1]);
      }
      if (x1 <= x0 || y1 <= y0) return bad('polygon has no area');
    }
    [x0, y0, x1, y1] = [Math.max(0, x0), Math.max(0, y0), Math.min(1, x1), Math.min(1, y1)];
    if (x1 - x0 <= EPS || y1 - y0 <= EPS) return bad('box lies outside the image');
    boxes.push({ cls, x: (x0 + x1) / 2, y: (y0 + y1) / 2, w: x1 - x0, h: y1 - y0 });
  });
  if (badLines > MAX_ISSUES_PER_FILE) issues.push({ path, reason: `${badLines - MAX_ISSUES_PER_FILE} more bad line(s) not listed` });
  return { boxes, issues };
}

/** A class list longer than MAX_CLASSES is refused. */
function checkCount(names: string[], file: string): string[] {
  if (names.length > MAX_CLASSES) throw new DataError('bad-labels', `${file} lists ${names.length} classes; at most ${MAX_CLASSES} are supported`, file);
  return names;
}

/** classes.txt: one name per line (blank lines ignored). `file` names it in errors. */
export function parseClassesTxt(text: string, file = 'classes.txt'): string[] {
  return checkCount(
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== ''),
    file,
  );
}

const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/, '$2');

/**
 * The `names` of an Ultralytics data.yaml, in any of its three forms: a flow list (`names: [a, b]`),
 * a block list (`- a`), or a map (`0: a`). Only this key is read; undefined if absent.
 */
export function parseDataYamlNames(text: string, file = 'data.yaml'): string[] | undefined {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^names\s*:/.test(l));
  if (at < 0) return undefined;
  const rest = lines[at].replace(/^names\s*:/, '').replace(/\s+#.*$/, '').trim();
  if (rest.startsWith('[')) {
    const inner = rest.replace(/^\[/, '').replace(/\]\s*$/, '');
    return inner.trim() === '' ? [] : checkCount(inner.split(',').map(unquote), file);
  }
  if (rest !== '') return undefined;
  const list: string[] = [];
  const map = new Map<number, string>();
  let maxKey = -1;
  for (const l of lines.slice(at + 1)) {
    if (/^\S/.test(l)) break; // next top-level key
    const t = l.replace(/\s+#.*$/, '').trim();
    if (t === '') continue;
    const item = /^-\s*(.*)$/.exec(t);
    const pair = /^(\d+)\s*:\s*(.*)$/.exec(t);
    if (item) list.push(unquote(item[1]));
    else if (pair) {
      const id = Number(pair[1]);
      if (id >= MAX_CLASSES) throw new DataError('bad-labels', `${file}: class id ${pair[1]} in names is out of range; at most ${MAX_CLASSES} classes are supported`, file);
      map.set(id, unquote(pair[2]));
      maxKey = Math.max(maxKey, id);
    }
  }
  if (map.size > 0) return Array.from({ length: maxKey + 1 }, (_, i) => map.get(i) ?? String(i));
  return checkCount(list, file);
}
