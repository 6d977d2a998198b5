/** A messy image folder, as a user's photos often are: two classes plus files the importer must skip and report. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '../../../../src/main/engine/data/image/encode';
import { pngBomb, smallJpeg } from './bombs';

/** cat/ and dog/ with 12 small PNGs each, plus a cut-off JPEG, a PNG bomb, a stray text file and a loose README. The caller removes it. */
export function messyFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'netsmith-messy-'));
  for (const [cls, v] of [['cat', 40], ['dog', 200]] as const) {
    mkdirSync(join(root, cls));
    for (let i = 0; i < 12; i++) writeFileSync(join(root, cls, `${i}.png`), encodePng(new Uint8Array(24 * 24 * 3).fill(v + i), 24, 24, 3));
  }
  writeFileSync(join(root, 'cat', 'broken.jpg'), smallJpeg(32).subarray(0, 60));
  writeFileSync(join(root, 'cat', 'bomb.png'), pngBomb());
  writeFileSync(join(root, 'dog', 'notes.txt'), 'stray');
  writeFileSync(join(root, 'README.md'), 'about this folder');
  return root;
}

/** What the import of messyFolder() skips, in order: [path, reason]. */
export const MESSY_SKIPPED: [string, string][] = [
  ['README.md', 'not inside a class folder'],
  ['cat/bomb.png', 'image is 20000×20000 (400 megapixels), over the 50-megapixel limit; scale it down first'],
  ['cat/broken.jpg', 'JPEG file is truncated or has no frame header (SOF)'],
  ['dog/notes.txt', 'not an image (PNG or JPEG by its extension)'],
];
