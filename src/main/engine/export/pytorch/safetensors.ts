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

/** Reads a .safetensors file of F32 tensors (what encodeSafetensors and the PyTorch engine write). */
export function decodeSafetensors(bytes: Uint8Array): Record<string, WeightArray> {
  if (bytes.length < 8) throw new Error('not a .safetensors file (too short)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.length - 8) throw new Error('not a .safetensors file (bad header length)');
  let header: Record<string, { dtype?: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw new Error('not a .safetensors file (unreadable header)');
  }
  const base = 8 + n;
  const out: Record<string, WeightArray> = {};
  for (const [name, spec] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (spec.dtype !== 'F32') throw new Error(`tensor '${name}' is ${spec.dtype}, expected F32`);
    const [begin, end] = spec.data_offsets;
    if (end > bytes.length - base || (end - begin) % 4) throw new Error(`tensor '${name}' lies outside the file`);
    out[name] = { data: new Float32Array(bytes.slice(base + begin, base + end).buffer), shape: spec.shape };
  }
  return out;
}
