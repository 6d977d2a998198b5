import assert from 'node:assert/strict';
import { test } from 'node:test';
import { infoFiles, labelsText, modelInfo, onnxMetadata, readmeSection } from '../../../../src/main/engine/export/modelInfo';
import { exportPytorch } from '../../../../src/main/engine/export';
import { compile } from '../../../../src/main/engine/compile/compile';
import { templateGraph } from './helpers';

const lenet = templateGraph('lenet_mnist');
const mnist = { dataset: 'mnist', data: { shape: [28, 28, 1] as [number, number, number], classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], norm: { mean: [0.1307], std: [0.3081] } } };

test('grey input: channel order, the luma step in the resize, one mean/std; NCHW for PyTorch', () => {
  const info = modelInfo(lenet, mnist, 'NCHW');
  assert.deepEqual(info.input, { layout: 'NCHW', shape: ['batch', 1, 28, 28], dtype: 'float32', height: 28, width: 28, channels: 1, channelOrder: 'grey' });
  assert.match(info.preprocessing!.resize, /^bilinear, stretched to 28×28 .*grey \(ITU-R 601 luma/);
  assert.deepEqual([info.preprocessing!.mean, info.preprocessing!.std, info.preprocessing!.scale], [[0.1307], [0.3081], 1 / 255]);
  assert.equal(labelsText(info), '0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n');
  const readme = readmeSection(info).join('\n');
  assert.match(readme, /Trained on `mnist`\. Input: 28×28 grey images \(1 channel\), float32 \[batch, 1, 28, 28\] \(NCHW\)\./);
  assert.match(readme, /mean = \[0\.1307\], std = \[0\.3081\]/);
  const meta = onnxMetadata(modelInfo(lenet, mnist, 'NHWC'));
  assert.equal(meta.channel_order, 'grey');
  assert.equal(meta.input_shape, '["batch",28,28,1]');
});

test('model.py: a one-channel MEAN/STD is a Python tuple', () => {
  const { model } = compile(lenet, { seed: 1 });
  const { modelPy } = exportPytorch(lenet, model, { source: mnist });
  model.dispose();
  assert.match(modelPy, /^INPUT_SHAPE = \(1, 28, 28\)$/m);
  assert.match(modelPy, /^MEAN = \(0\.1307,\)$/m);
  assert.match(modelPy, /^STD = \(0\.3081,\)$/m);
  assert.match(modelPy, /^CLASSES = \["0", "1", .*"9"\] {2}# output k is CLASSES\[k\]$/m);
});

test('unknown data (an old run whose dataset is gone): no labels.txt, preprocessing null, and the README says so', () => {
  const info = modelInfo(lenet, { dataset: 'folder:/gone' }, 'NHWC');
  assert.equal(info.preprocessing, null);
  assert.deepEqual(info.classes, []);
  assert.deepEqual(Object.keys(infoFiles(info)), ['model-info.json']);
  assert.match(readmeSection(info).join('\n'), /The preprocessing is not known/);
  assert.equal(onnxMetadata(info).mean, undefined);
});
