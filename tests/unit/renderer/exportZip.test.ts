import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
import { exportZip } from '../../../src/renderer/export/exportZip';

const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64');
const decode = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

test('Download all: one zip named after the run and format, every file inside one folder, bytes unchanged', () => {
  const weights = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
  const zip = exportZip(
    {
      format: 'onnx',
      checkpoint: 'best',
      dir: 'runs/20261203-101500-a1b2c3/exports/onnx-2026',
      files: [
        { name: 'README.md', size: 6, data: b64('# ONNX') },
        { name: 'labels.txt', size: 8, data: b64('cat\ndog\n') },
        { name: 'model-info.json', size: 2, data: b64('{}') },
        { name: 'model.onnx', size: weights.length, data: b64(weights) },
      ],
    },
    '20261203-101500-a1b2c3',
    decode,
  );
  assert.equal(zip.name, '20261203-101500-a1b2c3-onnx.zip');
  const files = unzipSync(zip.bytes);
  assert.deepEqual(Object.keys(files).sort(), ['README.md', 'labels.txt', 'model-info.json', 'model.onnx'].map((n) => `20261203-101500-a1b2c3-onnx/${n}`));
  assert.equal(Buffer.from(files['20261203-101500-a1b2c3-onnx/labels.txt']).toString(), 'cat\ndog\n');
  assert.deepEqual(files['20261203-101500-a1b2c3-onnx/model.onnx'], weights);
  // A zip from another format of the same run does not clash: its own name and folder.
  const other = exportZip({ format: 'pytorch', dir: 'x', files: [{ name: 'README.md', size: 1, data: b64('p') }] }, '20261203-101500-a1b2c3', decode);
  assert.equal(other.name, '20261203-101500-a1b2c3-pytorch.zip');
  assert.deepEqual(Object.keys(unzipSync(other.bytes)), ['20261203-101500-a1b2c3-pytorch/README.md']);
});

test('files too large to send (no data) are left out of the zip', () => {
  const zip = exportZip({ format: 'tfjs', dir: 'x', files: [{ name: 'weights.bin', size: 9e7 }, { name: 'README.md', size: 1, data: b64('t') }] }, 'run1', decode);
  assert.deepEqual(Object.keys(unzipSync(zip.bytes)), ['run1-tfjs/README.md']);
});
