/** YOLO label files (`cls xc yc w h` per line, relative) and class-name files (classes.txt, data.yaml). */
import type { Box, SkippedItem } from '../types';

const EPS = 1e-6;

/**
 * Parses one label file. Bad lines are reported (path:line) and skipped; the rest are kept. Boxes that hang
 * over the image edge are clipped. Lines with more than 5 numbers are read as polygons (YOLO segmentation
 * format) and replaced by their bounding box.
 */
export function parseYoloLabels(text: string, path: string, numClasses?: number): { boxes: Box[]; issues: SkippedItem[] } {
  const boxes: Box[] = [];
  const issues: SkippedItem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const bad = (reason: string) => issues.push({ path, line: i + 1, reason: `${reason}: "${line.length > 60 ? `${line.slice(0, 60)}…` : line}"` });
    const parts = line.split(/\s+/);
    if (parts.length < 5) return bad(`expected 5 values (class x_center y_center width height), got ${parts.length}`);
    if (parts.length > 5 && parts.length % 2 === 0) return bad(`expected 5 values, or a class and x y pairs, got ${parts.length}`);
    const nums = parts.map(Number);
    const badIdx = nums.findIndex((v) => !Number.isFinite(v));
    if (badIdx >= 0) return bad(`"${parts[badIdx]}" is not a number`);
    const cls = nums[0];
    if (!Number.isInteger(cls) || cls < 0) return bad(`class must be a non-negative integer, got ${parts[0]}`);
    if (numClasses !== undefined && cls >= numClasses) return bad(`class ${cls} is out of range (${numClasses} classes)`);
    const coords = nums.slice(1);
    if (coords.some((v) => v < -EPS || v > 1 + EPS)) return bad('coordinates must be relative (0..1); pixel coordinates?');
    let x0: number, y0: number, x1: number, y1: number;
    if (coords.length === 4) {
      const [x, y, w, h] = coords;
      if (w <= 0 || h <= 0) return bad('width and height must be positive');
      [x0, y0, x1, y1] = [x - w / 2, y - h / 2, x + w / 2, y + h / 2];
    } else {
      const xs = coords.filter((_, k) => k % 2 === 0);
      const ys = coords.filter((_, k) => k % 2 === 1);
      [x0, y0, x1, y1] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      if (x1 <= x0 || y1 <= y0) return bad('polygon has no area');
    }
    [x0, y0, x1, y1] = [Math.max(0, x0), Math.max(0, y0), Math.min(1, x1), Math.min(1, y1)];
    if (x1 - x0 <= EPS || y1 - y0 <= EPS) return bad('box lies outside the image');
    boxes.push({ cls, x: (x0 + x1) / 2, y: (y0 + y1) / 2, w: x1 - x0, h: y1 - y0 });
  });
  return { boxes, issues };
}

/** classes.txt: one name per line (blank lines ignored). */
export function parseClassesTxt(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/, '$2');

/**
 * The `names` of an Ultralytics data.yaml, in any of its three forms: a flow list (`names: [a, b]`),
 * a block list (`- a`), or a map (`0: a`). Only this key is read; undefined if absent.
 */
export function parseDataYamlNames(text: string): string[] | undefined {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => /^names\s*:/.test(l));
  if (at < 0) return undefined;
  const rest = lines[at].replace(/^names\s*:/, '').replace(/\s+#.*$/, '').trim();
  if (rest.startsWith('[')) {
    const inner = rest.replace(/^\[/, '').replace(/\]\s*$/, '');
    return inner.trim() === '' ? [] : inner.split(',').map(unquote);
  }
  if (rest !== '') return undefined;
  const list: string[] = [];
  const map = new Map<number, string>();
  for (const l of lines.slice(at + 1)) {
    if (/^\S/.test(l)) break; // next top-level key
    const t = l.replace(/\s+#.*$/, '').trim();
    if (t === '') continue;
    const item = /^-\s*(.*)$/.exec(t);
    const pair = /^(\d+)\s*:\s*(.*)$/.exec(t);
    if (item) list.push(unquote(item[1]));
    else if (pair) map.set(Number(pair[1]), unquote(pair[2]));
  }
  if (map.size > 0) return Array.from({ length: Math.max(...map.keys()) + 1 }, (_, i) => map.get(i) ?? String(i));
  return list;
}
