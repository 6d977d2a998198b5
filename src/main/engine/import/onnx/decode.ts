import { OnnxImportError } from './errors';

// A reader for the subset of onnx.proto (ModelProto) the importer needs. Field numbers from onnx/onnx.proto.

export const TensorType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, DOUBLE: 11 } as const;

export interface TensorInfo {
  name: string;
  dims: number[];
  dataType: number;
  /** Float values (FLOAT/DOUBLE) or integer values (INT*), as numbers; undefined until the external data is read. */
  floats?: Float32Array;
  ints?: number[];
  /** data_location EXTERNAL: where the bytes are (relative to the model file). */
  external?: { location: string; offset: number; length?: number };
}

export interface Attribute {
  name: string;
  f?: number;
  i?: number;
  s?: string;
  t?: TensorInfo;
  floats?: number[];
  ints?: number[];
  strings?: string[];
}

export interface OnnxNode {
  name: string;
  op: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, Attribute>;
}

export interface ValueInfo {
  name: string;
  elemType: number;
  /** A dimension is a number, a symbolic name, or undefined when unknown. */
  dims: (number | string | undefined)[] | undefined;
}

export interface OnnxModel {
  irVersion: number;
  opset: number;
  producer: string;
  metadata: Record<string, string>;
  nodes: OnnxNode[];
  initializers: Map<string, TensorInfo>;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly start = 0, readonly end = buf.length) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** An unsigned varint as a bigint (exact for all 64 bits). */
  varintBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw truncated();
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
    }
    throw notAModel('a malformed varint');
  }

  varint(): number {
    return Number(this.varintBig());
  }

  /** A signed int64 varint (two's complement: -1 is ten bytes) as a number. */
  int64(): number {
    return Number(BigInt.asIntN(64, this.varintBig()));
  }

  fixed32(): DataView {
    if (this.pos + 4 > this.end) throw truncated();
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4);
    this.pos += 4;
    return v;
  }

  bytes(): Uint8Array {
    const n = this.varint();
    if (this.pos + n > this.end) throw truncated();
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  sub(): Reader {
    const b = this.bytes();
    return new Reader(this.buf, b.byteOffset - this.buf.byteOffset, b.byteOffset - this.buf.byteOffset + b.length);
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw notAModel(`wire type ${wire}`);
    if (this.pos > this.end) throw truncated();
  }

  /** Each field: number and wire type; `body` reads what it knows and returns false to skip the rest. */
  fields(body: (field: number, wire: number) => boolean): void {
    while (!this.done) {
      const key = this.varint();
      const field = Math.floor(key / 8);
      const wire = key & 7;
      if (field === 0) throw notAModel('field number 0');
      if (!body(field, wire)) this.skip(wire);
    }
    if (this.pos !== this.end) throw truncated();
  }
}

const text = new TextDecoder('utf-8');
const truncated = (): OnnxImportError => new OnnxImportError('the file is truncated or corrupt: a protobuf field runs past its end');
/** `what`: the decoder's detail, after the plain words (a user sees the first half; a bug report wants the second). */
const notAModel = (what: string): OnnxImportError => new OnnxImportError(`the file is not an ONNX model: its bytes do not decode as one (${what})`);

function expectWire(wire: number, want: number, what: string): void {
  if (wire !== want) throw notAModel(`${what} has the wrong wire type`);
}

/** Repeated varints: packed (wire 2) or one per field (wire 0). */
function varints(r: Reader, wire: number, into: number[], signed = true): void {
  if (wire === 2) {
    const s = r.sub();
    while (!s.done) into.push(signed ? s.int64() : s.varint());
  } else {
    expectWire(wire, 0, 'an integer list');
    into.push(signed ? r.int64() : r.varint());
  }
}

function stringEntry(r: Reader): [string, string] {
  let key = '';
  let value = '';
  r.fields((f, w) => {
    if (f === 1 && w === 2) key = text.decode(r.bytes());
    else if (f === 2 && w === 2) value = text.decode(r.bytes());
    else return false;
    return true;
  });
  return [key, value];
}

function readTensor(r: Reader): TensorInfo {
  const t: TensorInfo = { name: '', dims: [], dataType: 0 };
  const floatData: number[] = [];
  const intData: number[] = [];
  let raw: Uint8Array | undefined;
  const external: Record<string, string> = {};
  let location = 0;
  r.fields((f, w) => {
    switch (f) {
      case 1:
        varints(r, w, t.dims);
        return true;
      case 2:
        t.dataType = r.varint();
        return true;
      case 4:
        if (w === 2) {
          const b = r.bytes();
          const v = new DataView(b.buffer, b.byteOffset, b.length);
          for (let i = 0; i + 4 <= b.length; i += 4) floatData.push(v.getFloat32(i, true));
        } else floatData.push(r.fixed32().getFloat32(0, true));
        return true;
      case 5:
      case 7:
        varints(r, w, intData);
        return true;
      case 8:
        t.name = text.decode(r.bytes());
        return true;
      case 9:
        raw = r.bytes();
        return true;
      case 10:
        if (w === 2) {
          const b = r.bytes();
          const v = new DataView(b.buffer, b.byteOffset, b.length);
          for (let i = 0; i + 8 <= b.length; i += 8) floatData.push(v.getFloat64(i, true));
          return true;
        }
        return false;
      case 13: {
        const [k, v] = stringEntry(r.sub());
        external[k] = v;
        return true;
      }
      case 14:
        location = r.varint();
        return true;
      default:
        return false;
    }
  });
  if (location === 1) {
    t.external = { location: external.location ?? '', offset: Number(external.offset ?? 0), ...(external.length ? { length: Number(external.length) } : {}) };
    return t;
  }
  setTensorData(t, raw, floatData, intData);
  return t;
}

/** Fills floats/ints from raw little-endian bytes or the typed lists. */
export function setTensorData(t: TensorInfo, raw: Uint8Array | undefined, floatData: number[] = [], intData: number[] = []): void {
  const isFloat = t.dataType === TensorType.FLOAT || t.dataType === TensorType.DOUBLE;
  if (raw) {
    const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
    if (t.dataType === TensorType.FLOAT) {
      const out = new Float32Array(raw.length >> 2);
      for (let i = 0; i < out.length; i++) out[i] = v.getFloat32(i * 4, true);
      t.floats = out;
    } else if (t.dataType === TensorType.DOUBLE) {
      t.floats = Float32Array.from({ length: raw.length >> 3 }, (_, i) => v.getFloat64(i * 8, true));
    } else if (t.dataType === TensorType.INT64) {
      t.ints = Array.from({ length: raw.length >> 3 }, (_, i) => Number(v.getBigInt64(i * 8, true)));
    } else if (t.dataType === TensorType.INT32) {
      t.ints = Array.from({ length: raw.length >> 2 }, (_, i) => v.getInt32(i * 4, true));
    } else if (t.dataType === TensorType.UINT8 || t.dataType === TensorType.INT8) {
      t.ints = Array.from(t.dataType === TensorType.INT8 ? new Int8Array(raw.buffer, raw.byteOffset, raw.length) : raw);
    }
  } else if (isFloat) t.floats = Float32Array.from(floatData);
  else t.ints = intData;
  const n = t.dims.reduce((a, b) => a * b, 1);
  const have = t.floats?.length ?? t.ints?.length;
  if (have !== undefined && have !== n && have !== 0) throw new OnnxImportError(`tensor '${t.name}' holds ${have} values but its shape [${t.dims.join(', ')}] needs ${n}: the file is corrupt`);
}

function readAttribute(r: Reader): Attribute {
  const a: Attribute = { name: '' };
  r.fields((f, w) => {
    switch (f) {
      case 1:
        a.name = text.decode(r.bytes());
        return true;
      case 2:
        expectWire(w, 5, 'a float attribute');
        a.f = r.fixed32().getFloat32(0, true);
        return true;
      case 3:
        a.i = r.int64();
        return true;
      case 4:
        a.s = text.decode(r.bytes());
        return true;
      case 5:
        a.t = readTensor(r.sub());
        return true;
      case 7:
        a.floats ??= [];
        if (w === 2) {
          const b = r.bytes();
          const v = new DataView(b.buffer, b.byteOffset, b.length);
          for (let i = 0; i + 4 <= b.length; i += 4) a.floats.push(v.getFloat32(i, true));
        } else a.floats.push(r.fixed32().getFloat32(0, true));
        return true;
      case 8:
        a.ints ??= [];
        varints(r, w, a.ints);
        return true;
      case 9:
        (a.strings ??= []).push(text.decode(r.bytes()));
        return true;
      default:
        return false;
    }
  });
  return a;
}

function readNode(r: Reader): OnnxNode {
  const n: OnnxNode = { name: '', op: '', domain: '', inputs: [], outputs: [], attrs: new Map() };
  r.fields((f, w) => {
    if (w !== 2) return false;
    switch (f) {
      case 1:
        n.inputs.push(text.decode(r.bytes()));
        return true;
      case 2:
        n.outputs.push(text.decode(r.bytes()));
        return true;
      case 3:
        n.name = text.decode(r.bytes());
        return true;
      case 4:
        n.op = text.decode(r.bytes());
        return true;
      case 5: {
        const a = readAttribute(r.sub());
        n.attrs.set(a.name, a);
        return true;
      }
      case 7:
        n.domain = text.decode(r.bytes());
        return true;
      default:
        return false;
    }
  });
  if (!n.op) throw notAModel('a node without an op type');
  return n;
}

function readValueInfo(r: Reader): ValueInfo {
  const v: ValueInfo = { name: '', elemType: 0, dims: undefined };
  r.fields((f, w) => {
    if (f === 1 && w === 2) v.name = text.decode(r.bytes());
    else if (f === 2 && w === 2) {
      const type = r.sub();
      type.fields((tf, tw) => {
        if (tf !== 1 || tw !== 2) return false; // tensor_type
        readTensorType(type.sub(), v);
        return true;
      });
    } else return false;
    return true;
  });
  return v;
}

function readTensorType(r: Reader, v: ValueInfo): void {
  r.fields((f, w) => {
    if (f === 1 && w === 0) v.elemType = r.varint();
    else if (f === 2 && w === 2) {
      v.dims = [];
      const shape = r.sub();
      shape.fields((sf, sw) => {
        if (sf !== 1 || sw !== 2) return false;
        let dim: number | string | undefined;
        const d = shape.sub();
        d.fields((df, dw) => {
          if (df === 1 && dw === 0) dim = d.int64();
          else if (df === 2 && dw === 2) dim = text.decode(d.bytes());
          else return false;
          return true;
        });
        v.dims!.push(dim);
        return true;
      });
    } else return false;
    return true;
  });
}

/**
 * Decodes an ONNX ModelProto. Throws OnnxImportError with a user-facing message for a truncated file, a protobuf
 * that is not a model, or a model without a graph.
 */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  const model: OnnxModel = { irVersion: 0, opset: 0, producer: '', metadata: {}, nodes: [], initializers: new Map(), inputs: [], outputs: [] };
  let sawGraph = false;
  let sawOpset = false;
  const r = new Reader(bytes);
  try {
    r.fields((f, w) => {
      switch (f) {
        case 1:
          expectWire(w, 0, 'ir_version');
          model.irVersion = r.varint();
          return true;
        case 2:
          expectWire(w, 2, 'producer_name');
          model.producer = text.decode(r.bytes());
          return true;
        case 7:
          expectWire(w, 2, 'graph');
          readGraph(r.sub(), model);
          sawGraph = true;
          return true;
        case 8: {
          expectWire(w, 2, 'opset_import');
          let domain = '';
          let version = 0;
          const o = r.sub();
          o.fields((of, ow) => {
            if (of === 1 && ow === 2) domain = text.decode(o.bytes());
            else if (of === 2 && ow === 0) version = o.varint();
            else return false;
            return true;
          });
          if (domain === '' || domain === 'ai.onnx') model.opset = version;
          sawOpset = true;
          return true;
        }
        case 14: {
          expectWire(w, 2, 'metadata_props');
          const [k, v] = stringEntry(r.sub());
          model.metadata[k] = v;
          return true;
        }
        default:
          return false;
      }
    });
  } catch (err) {
    if (err instanceof OnnxImportError) throw err;
    throw new OnnxImportError(`the file is not a readable ONNX model: ${(err as Error).message}`);
  }
  if (!sawGraph || !sawOpset || model.irVersion === 0 || model.nodes.length === 0) {
    throw new OnnxImportError('the file is not an ONNX model: it has no graph of nodes with an opset and IR version (is it another protobuf?)');
  }
  return model;
}

function readGraph(r: Reader, model: OnnxModel): void {
  r.fields((f, w) => {
    if (w !== 2) return false;
    switch (f) {
      case 1:
        model.nodes.push(readNode(r.sub()));
        return true;
      case 5: {
        const t = readTensor(r.sub());
        model.initializers.set(t.name, t);
        return true;
      }
      case 11:
        model.inputs.push(readValueInfo(r.sub()));
        return true;
      case 12:
        model.outputs.push(readValueInfo(r.sub()));
        return true;
      default:
        return false;
    }
  });
}
