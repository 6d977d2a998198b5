import type { WeightArray } from '../../blocks/types';

/** The .safetensors format: u64 little-endian header length, JSON header (offsets into the data), raw f32 LE data. */
export function encodeSafetensors(tensors: Record<string, WeightArray>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', ...metadata } };
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bytes = t.data.length * 4;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // data starts 8-byte aligned
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let o = 8 + head.length;
  for (const t of Object.values(tensors)) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), o);
    o += t.data.byteLength;
  }
  return out;
}

export class SafetensorsError extends Error {}

export interface SafetensorsTensor {
  /** float32 values in row-major order, whatever the stored dtype was. */
  data: Float32Array;
  shape: number[];
  /** The stored dtype, lower case (`f32`, `f16`, `bf16`, `i64`, …). */
  dtype: string;
}

const WIDTH: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** The one .safetensors reader: float (F32/F16/BF16/F64) and integer tensors as float32, and the file's metadata. */
export function readSafetensors(bytes: Uint8Array): { tensors: Map<string, SafetensorsTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new SafetensorsError('not a .safetensors file (too short)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.length - 8 || n < 2) throw new SafetensorsError('not a .safetensors file (bad header length), or a truncated one');
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw new SafetensorsError('not a .safetensors file (unreadable header)');
  }
  const base = 8 + n;
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [name, spec] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const w = WIDTH[spec.dtype];
    if (!w) throw new SafetensorsError(`tensor '${name}' has the unsupported dtype ${spec.dtype}`);
    const [begin, end] = spec.data_offsets;
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (end > bytes.length - base || end - begin !== count * w) throw new SafetensorsError(`tensor '${name}' lies outside the file (truncated file?)`);
    tensors.set(name, { data: toFloat32(bytes, base + begin, count, spec.dtype), shape: [...spec.shape], dtype: spec.dtype.toLowerCase() });
  }
  return { tensors, metadata: (header.__metadata__ as unknown as Record<string, string> | undefined) ?? {} };
}

function toFloat32(bytes: Uint8Array, at: number, count: number, dtype: string): Float32Array {
  // Little-endian F32 (every machine Node runs on): one copy.
  if (dtype === 'F32') {
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(bytes.subarray(at, at + count * 4));
    return data;
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset + at, count * WIDTH[dtype]);
  const data = new Float32Array(count);
  const f = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < count; i++) {
    switch (dtype) {
      case 'F64': data[i] = v.getFloat64(i * 8, true); break;
      case 'F16': data[i] = halfToFloat(v.getUint16(i * 2, true)); break;
      case 'BF16': f.setUint32(0, v.getUint16(i * 2, true) << 16); data[i] = f.getFloat32(0); break;
      case 'I64': data[i] = Number(v.getBigInt64(i * 8, true)); break;
      case 'I32': data[i] = v.getInt32(i * 4, true); break;
      case 'I16': data[i] = v.getInt16(i * 2, true); break;
      case 'I8': data[i] = v.getInt8(i); break;
      default: data[i] = v.getUint8(i);
    }
  }
  return data;
}

/** An IEEE half-precision value (its 16 bits) as a number; torch .pt files use it too (torchFile.ts). */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (m / 1024);
  if (e === 31) return m ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + m / 1024);
}

/** The tensors of a .safetensors file by name (readSafetensors without the dtypes and metadata). */
export function decodeSafetensors(bytes: Uint8Array): Record<string, WeightArray> {
  return Object.fromEntries([...readSafetensors(bytes).tensors].map(([name, t]) => [name, { data: t.data, shape: t.shape }]));
}
