import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { importYoloFolder } from '../../../../src/main/engine/data/import/yolo-folder';
import { parseClassesTxt, parseDataYamlNames, parseYoloLabels } from '../../../../src/main/engine/data/import/yolo-labels';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import { describeSkipped } from '../../../../src/main/engine/data/types';
import { assertBoxClose, tempDir, writePng, writeText } from './helpers';

describe('YOLO labels', () => {
  test('parses boxes, reports malformed lines as file:line and keeps the rest', () => {
    const text = [
      '0 0.5 0.5 0.2 0.4',
      '',
      '# a comment',
      '1 0.25 0.75 0.1 0.1',
      '2 0.5 0.5 0.2', // too few values
      'x 0.5 0.5 0.2 0.2', // class not a number
      '1 320 240 50 60', // pixels, not relative
      '1.5 0.5 0.5 0.1 0.1', // class not an integer
      '3 0.5 0.5 0.1 0.1', // out of range with 3 classes
      '0 0.5 0.5 0 0.1', // zero width
      '1 0.05 0.5 0.2 0.2', // hangs over the left edge: clipped
      '2 0.1 0.1 0.3 0.1 0.2 0.3', // polygon → bounding box
    ].join('\n');
    const { boxes, issues } = parseYoloLabels(text, 'labels/img1.txt', 3);
    assert.equal(boxes.length, 4);
    assertBoxClose(boxes[0], { cls: 0, x: 0.5, y: 0.5, w: 0.2, h: 0.4 });
    assertBoxClose(boxes[1], { cls: 1, x: 0.25, y: 0.75, w: 0.1, h: 0.1 });
    assertBoxClose(boxes[2], { cls: 1, x: 0.075, y: 0.5, w: 0.15, h: 0.2 });
    assertBoxClose(boxes[3], { cls: 2, x: 0.2, y: 0.2, w: 0.2, h: 0.2 });
    assert.deepEqual(
      issues.map((i) => i.line),
      [5, 6, 7, 8, 9, 10],
    );
    assert.equal(describeSkipped(issues[0]), 'labels/img1.txt:5: expected 5 values (class x_center y_center width height), got 4: "2 0.5 0.5 0.2"');
    assert.match(issues[2].reason, /relative \(0\.\.1\); pixel coordinates\?/);
    assert.match(issues[4].reason, /class 3 is out of range \(3 classes\)/);
  });

  test('class names from classes.txt and the three data.yaml forms', () => {
    assert.deepEqual(parseClassesTxt('cat\r\ndog\n\n'), ['cat', 'dog']);
    assert.deepEqual(parseDataYamlNames("path: .\nnames: ['cat', \"dog\", bird]\nnc: 3"), ['cat', 'dog', 'bird']);
    assert.deepEqual(parseDataYamlNames('names:\n  - cat\n  - dog # pets\ntrain: images/train'), ['cat', 'dog']);
    assert.deepEqual(parseDataYamlNames('train: x\nnames:\n  0: cat\n  1: dog\n'), ['cat', 'dog']);
    assert.equal(parseDataYamlNames('nc: 2'), undefined);
  });
});

describe('YOLO folder import', () => {
  test('flat images/ + labels/ with data.yaml; bad lines and files reported', async () => {
    const root = tempDir();
    for (let i = 0; i < 10; i++) {
      writePng(join(root, 'images', `im${i}.png`), 40, 30, () => [i * 20, 0, 0]);
      if (i !== 9) writeText(join(root, 'labels', `im${i}.txt`), `${i % 2} 0.5 0.5 0.4 0.2\n${i === 3 ? '7 0.1 0.1 0.1 0.1\n' : ''}`);
    }
    writeText(join(root, 'images', 'bad.jpg'), 'nope');
    writeText(join(root, 'data.yaml'), 'names: [circle, square]\n');
    const { dataset, skipped, warnings } = await importYoloFolder(root, { size: 32, valFraction: 0.2, testFraction: 0.1 });
    assert.equal(dataset.info.task, 'detection');
    assert.deepEqual(dataset.info.classes, ['circle', 'square']);
    assert.deepEqual(dataset.info.sizes, { train: 7, val: 2, test: 1 });
    assert.deepEqual(
      skipped.map(describeSkipped).map((s) => s.replace(/\\/g, '/')),
      [join('images', 'bad.jpg').replace(/\\/g, '/') + ': not a PNG or JPEG file', 'labels/im3.txt:2: class 7 is out of range (2 classes): "7 0.1 0.1 0.1 0.1"'],
    );
    assert.deepEqual(warnings, ['1 image(s) have no label file and are used as background (no boxes)']);
    const all = ['train', 'val', 'test'].flatMap((n) => {
      const s = dataset.split(n as 'train');
      return Array.from({ length: s.length }, (_, i) => s.boxes!(i));
    });
    assert.equal(all.filter((b) => b.length === 0).length, 1);
    assert.equal(all.flat().length, 9);
  });

  test('split folders (train/valid) are used as they are; loadDataset detects the layout', async () => {
    const root = tempDir();
    for (const [split, n] of [['train', 3], ['valid', 2]] as const)
      for (let i = 0; i < n; i++) {
        writePng(join(root, 'images', split, `${i}.png`), 16, 16, () => [0, 0, 255]);
        writeText(join(root, 'labels', split, `${i}.txt`), '0 0.5 0.5 1 1\n');
      }
    writeText(join(root, 'classes.txt'), 'thing\n');
    const { dataset } = await loadDataset(root, { size: 16 });
    assert.equal(dataset.info.task, 'detection');
    assert.deepEqual(dataset.info.sizes, { train: 3, val: 2, test: 0 });
    assert.deepEqual(dataset.split('val').classCounts(), [2]);
    assert.deepEqual(dataset.info.classes, ['thing']);
  });
});
