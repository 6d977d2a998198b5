import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { DataType, encodeModel, type OnnxNode, type OnnxTensor } from '../../../../src/main/engine/export/onnx/proto';
import { decodeModel } from '../../../../src/main/engine/import/onnx/decode';
import { importDecoded } from '../../../../src/main/engine/import/onnx/importOnnx';
import { fixedData, maxAbsDiff } from '../export/helpers';

before(async () => {
  await tf.setBackend('cpu');
});

const f32 = (name: string, dims: number[], seed: number): OnnxTensor => ({ name, dims, type: DataType.FLOAT, data: fixedData(dims.reduce((a, b) => a * b, 1), seed) });

/** Imports a hand-built model and compares the lab's outputs with onnxruntime's on the same input. */
async function agreesWithOnnxruntime(nodes: OnnxNode[], initializers: OnnxTensor[], input: [number, number, number], outDims: number): Promise<{ types: string[]; diff: number }> {
  const bytes = encodeModel({ opset: 13, producer: 'test', graphName: 'g', nodes, initializers, inputs: [{ name: 'input', dims: ['batch', ...input] }], outputs: [{ name: 'out', dims: ['batch', outDims] }] });
  const imported = importDecoded(decodeModel(bytes), { name: 'g' });
  try {
    const [c, h, w] = input;
    const x = fixedData(2 * c * h * w, 3);
    const session = await ort.InferenceSession.create(bytes);
    const ref = (await session.run({ input: new ort.Tensor('float32', x, [2, c, h, w]) })).out.data as Float32Array;
    const lab = tf.tidy(() => (imported.model.predict(tf.tensor(x, [2, c, h, w]).transpose([0, 2, 3, 1])) as tf.Tensor).dataSync());
    return { types: imported.graph.nodes.map((n) => n.type), diff: maxAbsDiff(lab, ref) };
  } finally {
    imported.model.dispose();
  }
}

describe('mapping details checked against onnxruntime', () => {
  test('Flatten of a C×H×W map into a Gemm: the dense rows are reordered to the lab\'s H, W, C flatten', async () => {
    const r = await agreesWithOnnxruntime(
      [
        { op: 'Conv', name: '/conv/Conv', inputs: ['input', 'w', 'b'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] } },
        { op: 'Flatten', name: '/Flatten', inputs: ['c'], outputs: ['f'], attrs: { axis: 1 } },
        { op: 'Gemm', name: '/fc/Gemm', inputs: ['f', 'fw', 'fb'], outputs: ['out'], attrs: { transB: 1 } },
      ],
      [f32('w', [4, 3, 3, 3], 1), f32('b', [4], 2), f32('fw', [6, 4 * 3 * 3], 3), f32('fb', [6], 4)],
      [3, 6, 6],
      6,
    );
    assert.deepEqual(r.types, ['io/input', 'core/conv2d', 'reshape/flatten', 'head/classify']);
    assert.ok(r.diff <= 1e-5, `max diff ${r.diff}`);
  });

  test('a Conv with asymmetric pads (TensorFlow SAME, stride 2) becomes Zero Padding + Conv', async () => {
    const r = await agreesWithOnnxruntime(
      [
        { op: 'Conv', name: '/conv/Conv', inputs: ['input', 'w'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [0, 0, 1, 1], strides: [2, 2] } },
        { op: 'GlobalAveragePool', name: '/gap', inputs: ['c'], outputs: ['g'] },
        { op: 'Flatten', name: '/Flatten', inputs: ['g'], outputs: ['out'], attrs: { axis: 1 } },
      ],
      [f32('w', [5, 2, 3, 3], 6)],
      [2, 8, 8],
      5,
    );
    assert.deepEqual(r.types, ['io/input', 'reshape/zeropad', 'core/conv2d', 'pool/global_avgpool']);
    assert.ok(r.diff <= 1e-5, `max diff ${r.diff}`);
  });

  test('a depthwise Conv with a channel multiplier, and a MatMul + Add dense', async () => {
    const r = await agreesWithOnnxruntime(
      [
        { op: 'Conv', name: '/dw/Conv', inputs: ['input', 'w'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1], group: 3 } },
        { op: 'GlobalAveragePool', name: '/gap', inputs: ['c'], outputs: ['g'] },
        { op: 'Flatten', name: '/Flatten', inputs: ['g'], outputs: ['f'], attrs: { axis: 1 } },
        { op: 'MatMul', name: '/fc/MatMul', inputs: ['f', 'k'], outputs: ['m'] },
        { op: 'Add', name: '/fc/Add', inputs: ['m', 'kb'], outputs: ['out'] },
      ],
      [f32('w', [6, 1, 3, 3], 7), f32('k', [6, 4], 8), f32('kb', [4], 9)],
      [3, 5, 5],
      4,
    );
    assert.deepEqual(r.types, ['io/input', 'core/depthwise_conv2d', 'pool/global_avgpool', 'head/classify']);
    assert.ok(r.diff <= 1e-5, `max diff ${r.diff}`);
  });
});
