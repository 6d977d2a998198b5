import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { closeDecodePool } from '../../../../src/main/engine/data/image/decodePool';
import { readRegularFile } from '../../../../src/main/engine/data/import/files';
import { importImageFolder } from '../../../../src/main/engine/data/import/image-folder';
import { importYoloFolder } from '../../../../src/main/engine/data/import/yolo-folder';
import { parseDataYamlNames, parseYoloLabels } from '../../../../src/main/engine/data/import/yolo-labels';
import { describeSkipped } from '../../../../src/main/engine/data/types';
import { tempDir, writePng, writeText } from './helpers';

after(() => closeDecodePool());

const mkfifo = (path: string) => execFileSync('mkfifo', [path]);

/** Fails instead of hanging when an import blocks (the FIFO bug hung forever). */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/** images/0..n-1.png with labels/i.txt = `0 0.5 0.5 0.5 0.5`, and classes.txt. */
function yoloFolder(n = 4): string {
  const root = tempDir();
  for (let i = 0; i < n; i++) {
    writePng(join(root, 'images', `${i}.png`), 16, 16, () => [i * 40, 80, 0]);
    writeText(join(root, 'labels', `${i}.txt`), '0 0.5 0.5 0.5 0.5\n');
  }
  writeText(join(root, 'classes.txt'), 'thing\nother\n');
  return root;
}

function classFolder(): string {
  const root = tempDir();
  for (const cls of ['cat', 'dog']) for (let i = 0; i < 3; i++) writePng(join(root, cls, `${i}.png`), 8, 8, () => [cls === 'cat' ? 200 : 10, 10, 10]);
  return root;
}

describe('non-regular files', () => {
  test('a FIFO as a YOLO label file is reported, not read: the import finishes', async () => {
    const root = yoloFolder();
    execFileSync('rm', [join(root, 'labels', '0.txt')]);
    mkfifo(join(root, 'labels', '0.txt'));
    const { dataset, skipped } = await within(10_000, importYoloFolder(root, { size: 16 }));
    assert.equal(dataset.info.sizes.train + dataset.info.sizes.val + dataset.info.sizes.test, 3);
    assert.deepEqual(skipped.map(describeSkipped), [`${join('labels', '0.txt')}: is a FIFO (named pipe), not a regular file; its image ${join('images', '0.png')} is left out`]);
  });

  test('a FIFO as classes.txt is a DataError naming it, at once', async () => {
    const root = yoloFolder();
    execFileSync('rm', [join(root, 'classes.txt')]);
    mkfifo(join(root, 'classes.txt'));
    await assert.rejects(within(10_000, importYoloFolder(root)), { name: 'DataError', code: 'bad-labels', message: 'classes.txt cannot be read: it is a FIFO (named pipe), not a regular file' });
  });

  test('readRegularFile refuses a FIFO without blocking, and files over the limit', async () => {
    const root = tempDir();
    mkfifo(join(root, 'p'));
    await assert.rejects(within(2000, readRegularFile(join(root, 'p'), 100)), { code: 'not-a-file' });
    writeFileSync(join(root, 'f'), 'x'.repeat(101));
    await assert.rejects(readRegularFile(join(root, 'f'), 100), { code: 'file-too-large', message: /is 101 bytes, over the 100 bytes limit/ });
    assert.equal((await readRegularFile(join(root, 'f'), 101)).length, 101);
  });

  test('file-system errors are clear DataErrors without the absolute path', async () => {
    const root = tempDir();
    symlinkSync('self', join(root, 'self'));
    mkdirSync(join(root, 'dir'));
    for (const [name, message] of [['missing.png', 'does not exist (moved or deleted?)'], ['self', 'is a symlink loop'], ['dir', 'is a folder, not a regular file']]) {
      await assert.rejects(readRegularFile(join(root, name), 100), (e: Error) => {
        assert.equal(e.name, 'DataError');
        assert.equal(e.message, message);
        return true;
      });
    }
  });

  test('an unreadable class subfolder and image are reported; the rest imports', { skip: process.getuid?.() === 0 && 'root can read every file' }, async () => {
    const root = classFolder();
    mkdirSync(join(root, 'cat', 'locked'));
    writePng(join(root, 'cat', 'locked', 'x.png'), 8, 8, () => [0, 0, 0]);
    execFileSync('chmod', ['000', join(root, 'cat', 'locked'), join(root, 'dog', '0.png')]);
    const { skipped } = await importImageFolder(root, { size: 8 }).finally(() => execFileSync('chmod', ['755', join(root, 'cat', 'locked'), join(root, 'dog', '0.png')]));
    assert.deepEqual(skipped.map(describeSkipped), [`${join('cat', 'locked')}: cannot be read: permission denied`, `${join('dog', '0.png')}: cannot be read: permission denied`]);
  });

  test('FIFOs, symlink loops and broken links in image folders are reported; good symlinks are followed', async () => {
    const root = classFolder();
    mkfifo(join(root, 'cat', 'pipe.png'));
    symlinkSync('.', join(root, 'cat', 'loop'));
    symlinkSync('self', join(root, 'dog', 'self'));
    symlinkSync('missing.png', join(root, 'dog', 'gone.png'));
    symlinkSync(join(root, 'cat', '0.png'), join(root, 'dog', 'alias.png'));
    const { dataset, skipped } = await within(10_000, importImageFolder(root, { size: 8 }));
    assert.equal(dataset.info.sizes.train + dataset.info.sizes.val + dataset.info.sizes.test, 7);
    assert.deepEqual(skipped.map(describeSkipped), [
      `${join('cat', 'loop')}: symlink loop (links to a folder that is already being read)`,
      `${join('cat', 'pipe.png')}: is a FIFO (named pipe), not a regular file`,
      `${join('dog', 'gone.png')}: broken symlink (its target does not exist)`,
      `${join('dog', 'self')}: symlink loop (the link points back to itself)`,
    ]);
  });

  test('an image file over the size limit is skipped without being read', async () => {
    const root = classFolder();
    writeFileSync(join(root, 'cat', 'huge.png'), '');
    truncateSync(join(root, 'cat', 'huge.png'), 101 * 1024 * 1024); // sparse: no disk used
    const { skipped } = await importImageFolder(root, { size: 8 });
    assert.deepEqual(skipped.map(describeSkipped), [`${join('cat', 'huge.png')}: is 101 MB, over the 100 MB limit for this kind of file`]);
  });
});

describe('names that are not UTF-8', () => {
  test('a class folder and a file with non-UTF-8 names are skipped and reported; the rest imports', async () => {
    const root = classFolder();
    const latin1 = Buffer.concat([Buffer.from(`${root}/caf`), Buffer.from([0xe9])]);
    mkdirSync(latin1);
    writeFileSync(Buffer.concat([latin1, Buffer.from('/x.png')]), Buffer.alloc(0));
    writeFileSync(Buffer.concat([Buffer.from(`${root}/dog/`), Buffer.from([0xff, 0xfe]), Buffer.from('.png')]), Buffer.alloc(0));
    const { dataset, skipped } = await importImageFolder(root, { size: 8 });
    assert.deepEqual(dataset.info.classes, ['cat', 'dog']);
    assert.deepEqual(skipped.map(describeSkipped), [
      'caf\\xE9: the name is not valid UTF-8; rename it to read it',
      `${join('dog', '\\xFF\\xFE.png')}: the name is not valid UTF-8; rename it to read it`,
    ]);
  });
});

describe('label files: bounded and spread-free', () => {
  test('600,000 boxes import (no "Maximum call stack size exceeded")', async () => {
    const root = yoloFolder(2);
    writeText(join(root, 'labels', '0.txt'), '1 0.5 0.5 0.1 0.1\n'.repeat(600_000));
    const { dataset } = await importYoloFolder(root, { size: 16, valFraction: 0, testFraction: 0 });
    const s = dataset.split('train');
    const total = Array.from({ length: s.length }, (_, i) => s.boxes!(i).length).reduce((a, b) => a + b, 0);
    assert.equal(total, 600_001);
    // A polygon line with 300,000 points.
    const poly = `0 ${Array.from({ length: 300_000 }, (_, k) => `${(k % 100) / 100} ${((k * 7) % 100) / 100}`).join(' ')}`;
    assert.equal(parseYoloLabels(poly, 'p.txt').boxes.length, 1);
  });

  test('class ids: 1e300, 30000000, 1.5 and -1 are reported with file:line; ids are checked against the class list', () => {
    const text = ['1e300 0.5 0.5 0.1 0.1', '30000000 0.5 0.5 0.1 0.1', '1.5 0.5 0.5 0.1 0.1', '-1 0.5 0.5 0.1 0.1', '2 0.5 0.5 0.1 0.1', '1.0 0.5 0.5 0.1 0.1'].join('\n');
    const withNames = parseYoloLabels(text, 'labels/a.txt', 2);
    assert.deepEqual(withNames.issues.map(describeSkipped), [
      'labels/a.txt:1: class must be a whole number from 0, got "1e300": "1e300 0.5 0.5 0.1 0.1"',
      'labels/a.txt:2: class 30000000 is out of range (2 classes): "30000000 0.5 0.5 0.1 0.1"',
      'labels/a.txt:3: class must be a whole number from 0, got "1.5": "1.5 0.5 0.5 0.1 0.1"',
      'labels/a.txt:4: class must be a whole number from 0, got "-1": "-1 0.5 0.5 0.1 0.1"',
      'labels/a.txt:5: class 2 is out of range (2 classes): "2 0.5 0.5 0.1 0.1"',
    ]);
    assert.deepEqual(withNames.boxes.map((b) => b.cls), [1]);
    const noNames = parseYoloLabels(text, 'labels/a.txt');
    assert.match(noNames.issues[1].reason, /class 30000000 is out of range: without classes\.txt or data\.yaml names, ids must be below 10000/);
    assert.deepEqual(noNames.boxes.map((b) => b.cls), [2, 1]);
  });

  test('a class id of 30000000 without a names file does not make 30 million classes', async () => {
    const root = yoloFolder(3);
    execFileSync('rm', [join(root, 'classes.txt')]);
    writeText(join(root, 'labels', '1.txt'), '30000000 0.5 0.5 0.2 0.2\n1e300 0.5 0.5 0.2 0.2\n');
    const { dataset, skipped } = await importYoloFolder(root, { size: 16 });
    assert.deepEqual(dataset.info.classes, ['0']);
    assert.deepEqual(skipped.map((s) => `${s.path}:${s.line}`), [`${join('labels', '1.txt')}:1`, `${join('labels', '1.txt')}:2`]);
  });

  test('a file of bad lines reports the first 20 and counts the rest', () => {
    const { issues } = parseYoloLabels('x\n'.repeat(1000), 'l.txt');
    assert.equal(issues.length, 21);
    assert.equal(describeSkipped(issues[20]), 'l.txt: 980 more bad line(s) not listed');
  });

  test('class lists are bounded: data.yaml ids and classes.txt lines', async () => {
    assert.throws(() => parseDataYamlNames('names:\n  0: a\n  1000000000: b\n'), { code: 'bad-labels', message: /data\.yaml: class id 1000000000 in names is out of range/ });
    const root = yoloFolder(2);
    writeText(join(root, 'classes.txt'), Array.from({ length: 20_000 }, (_, i) => `c${i}`).join('\n'));
    await assert.rejects(importYoloFolder(root), { code: 'bad-labels', message: 'classes.txt lists 20000 classes; at most 10000 are supported' });
    writeText(join(root, 'classes.txt'), 'x'.repeat(2 * 1024 * 1024));
    await assert.rejects(importYoloFolder(root), { code: 'bad-labels', message: /classes\.txt cannot be read: it is 2\.0 MB, over the 1\.0 MB limit/ });
  });
});
