/**
 * A minimal protobuf writer for the few ONNX messages the exporter needs (onnx.proto, proto2 field numbers).
 * Repeated scalars are written unpacked, which every protobuf parser accepts for proto2.
 */

class Writer {
  private chunks: Uint8Array[] = [];
  private size = 0;

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }

  varint(v: number | bigint): void {
    let n = BigInt.asUintN(64, BigInt(v));
    const out: number[] = [];
    while (n >= 0x80n) {
      out.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    out.push(Number(n));
    this.push(Uint8Array.from(out));
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, v: number): void {
    this.tag(field, 0);
    this.varint(v);
  }

  float(field: number, v: number): void {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.push(b);
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
  }

  string(field: number, s: string): void {
    this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, m: Writer): void {
    this.bytes(field, m.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

export const enum DataType {
  FLOAT = 1,
  INT64 = 7,
}

export type AttrValue = number | string | number[] | { floats: number[] } | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attrs?: Record<string, AttrValue>;
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  type: DataType;
  data: Float32Array | BigInt64Array;
  /** Written as external data (data_location EXTERNAL) at this place instead of raw_data; `data` is not written. */
  external?: { location: string; offset: number; length: number };
}

export interface OnnxValueInfo {
  name: string;
  /** A number, or a symbolic name such as 'batch'. */
  dims: (number | string)[];
}

export interface OnnxModel {
  opset: number;
  producer: string;
  graphName: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  docString?: string;
  /** ModelProto.metadata_props (key → value). */
  metadata?: Record<string, string>;
}

function tensor(t: OnnxTensor): Writer {
  const w = new Writer();
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.type);
  w.string(8, t.name);
  if (t.external) {
    for (const [k, v] of [['location', t.external.location], ['offset', String(t.external.offset)], ['length', String(t.external.length)]]) {
      const e = new Writer();
      e.string(1, k);
      e.string(2, v);
      w.message(13, e);
    }
    w.int(14, 1);
    return w;
  }
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  // raw_data is little-endian; so is every platform Node runs on.
  w.bytes(9, bytes.slice());
  return w;
}

/** AttributeProto.AttributeType: FLOAT=1, INT=2, STRING=3, FLOATS=6, INTS=7. */
function attribute(name: string, v: AttrValue): Writer {
  const w = new Writer();
  w.string(1, name);
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: use { float } for non-integer values`);
    w.int(3, v);
    w.int(20, 2);
  } else if (typeof v === 'string') {
    w.string(4, v);
    w.int(20, 3);
  } else if (Array.isArray(v)) {
    for (const i of v) w.int(8, i);
    w.int(20, 7);
  } else if ('floats' in v) {
    for (const f of v.floats) w.float(7, f);
    w.int(20, 6);
  } else {
    w.float(2, v.float);
    w.int(20, 1);
  }
  return w;
}

function node(n: OnnxNode): Writer {
  const w = new Writer();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) w.message(5, attribute(k, v));
  return w;
}

function valueInfo(v: OnnxValueInfo): Writer {
  const shape = new Writer();
  for (const d of v.dims) {
    const dim = new Writer();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tt = new Writer();
  tt.int(1, DataType.FLOAT);
  tt.message(2, shape);
  const type = new Writer();
  type.message(1, tt);
  const w = new Writer();
  w.string(1, v.name);
  w.message(2, type);
  return w;
}

/** Serializes a ModelProto (IR version 8, default domain only). */
export function encodeModel(m: OnnxModel): Uint8Array {
  const g = new Writer();
  for (const n of m.nodes) g.message(1, node(n));
  g.string(2, m.graphName);
  for (const t of m.initializers) g.message(5, tensor(t));
  for (const i of m.inputs) g.message(11, valueInfo(i));
  for (const o of m.outputs) g.message(12, valueInfo(o));
  const opset = new Writer();
  opset.string(1, '');
  opset.int(2, m.opset);
  const w = new Writer();
  w.int(1, 8);
  w.string(2, m.producer);
  w.string(3, '0.1.0');
  if (m.docString) w.string(6, m.docString);
  w.message(7, g);
  w.message(8, opset);
  for (const [key, value] of Object.entries(m.metadata ?? {})) {
    const entry = new Writer();
    entry.string(1, key);
    entry.string(2, value);
    w.message(14, entry);
  }
  return w.finish();
}
