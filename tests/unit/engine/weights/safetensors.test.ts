// The one .safetensors reader: half, bfloat16 and integer tensors come back as float32 (hand-computed bit patterns),
// F32 tensors in one copy from any byte offset, and the file's metadata.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { halfToFloat, readSafetensors } from '../../../../src/main/engine/export/pytorch/safetensors';

test('halfToFloat: hand-computed IEEE half bit patterns', () => {
  const cases: [number, number][] = [[0x3c00, 1], [0xc000, -2], [0x3555, 0.333251953125], [0x7bff, 65504], [0x0001, 2 ** -24], [0x0000, 0], [0x7c00, Infinity], [0xfc00, -Infinity]];
  for (const [bits, value] of cases) assert.equal(halfToFloat(bits), value, `0x${bits.toString(16)}`);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
});

function file(header: Record<string, unknown>, data: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  // A leading pad byte, so the F32 data starts at an odd offset of the underlying buffer.
  const out = new Uint8Array(1 + 8 + json.length + data.length).subarray(1);
  new DataView(out.buffer, out.byteOffset).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

test('readSafetensors: F16, BF16, I64 and an unaligned F32 tensor, and the metadata', () => {
  const bytes = file(
    {
      __metadata__: { format: 'pt', generatedBy: 'Netsmith' },
      h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
      b: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] },
      i: { dtype: 'I64', shape: [1], data_offsets: [6, 14] },
      f: { dtype: 'F32', shape: [1, 1], data_offsets: [14, 18] },
    },
    [0x00, 0x3c, 0x00, 0xc0, 0x40, 0x40, 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0xc0, 0x3f],
  );
  const { tensors, metadata } = readSafetensors(bytes);
  assert.deepEqual([...tensors.get('h')!.data], [1, -2]);
  assert.deepEqual([...tensors.get('b')!.data], [3]); // 0x4040: bfloat16 3.0
  assert.deepEqual([...tensors.get('i')!.data], [-3]);
  assert.deepEqual({ ...tensors.get('f')!, data: [...tensors.get('f')!.data] }, { data: [1.5], shape: [1, 1], dtype: 'f32' });
  assert.equal(metadata.generatedBy, 'Netsmith');
  assert.throws(() => readSafetensors(bytes.subarray(0, bytes.length - 2)), /lies outside the file/);
});
