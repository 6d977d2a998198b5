/**
 * Reads the tensors of a PyTorch checkpoint saved with `torch.save` (the zip format of PyTorch ≥ 1.6: a pickle,
 * `<name>/data.pkl`, whose tensors point at raw storages `<name>/data/<key>`), without Python. Only the pickle
 * subset that `torch.save` writes for state dicts and plain containers is understood; anything else (a pickled
 * module class, an optimizer's custom object) is kept as an opaque value and its tensors are still found.
 */
import { unzipSync } from 'fflate';
import { halfToFloat } from '../export/pytorch/safetensors';

export class TorchFileError extends Error {}

export interface TorchTensor {
  /** float32 values in row-major (contiguous) order, whatever the stored dtype was. */
  data: Float32Array;
  shape: number[];
  /** The stored dtype (`float32`, `float16`, `int64`, …). */
  dtype: string;
}

/** Storage class → [dtype, bytes per element]. */
const STORAGES: Record<string, [string, number]> = {
  FloatStorage: ['float32', 4],
  DoubleStorage: ['float64', 8],
  HalfStorage: ['float16', 2],
  BFloat16Storage: ['bfloat16', 2],
  LongStorage: ['int64', 8],
  IntStorage: ['int32', 4],
  ShortStorage: ['int16', 2],
  CharStorage: ['int8', 1],
  ByteStorage: ['uint8', 1],
  BoolStorage: ['bool', 1],
};

interface StorageRef {
  kind: 'storage';
  dtype: string;
  size: number;
  key: string;
}

/** A Python object the reader does not model: the global it came from and its arguments / state. */
interface Opaque {
  kind: 'opaque';
  global: string;
  args?: unknown;
  state?: unknown;
}

class Global {
  constructor(readonly name: string) {}
}

const MARK = Symbol('mark');

export interface TorchFile {
  /** Every tensor, by its dotted path in the saved object (`state_dict.layer1.0.conv1.weight`). */
  tensors: Map<string, TorchTensor>;
  /**
   * Who wrote the state dict, where it says so: `Netsmith` for the lab's exported train.py, which marks the state
   * dict's `_metadata['']` (torch's own per-module metadata, ignored by load_state_dict).
   */
  generatedBy?: string;
}

export function readTorchFile(bytes: Uint8Array): TorchFile {
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] <= 5) {
    throw new TorchFileError('this is a legacy (pre-1.6) torch.save file; load it in Python and save it again with torch.save (the zip format)');
  }
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new TorchFileError('not a PyTorch checkpoint (not a zip archive)');
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (err) {
    throw new TorchFileError(`the checkpoint is damaged or truncated (${(err as Error).message})`);
  }
  const pkl = Object.keys(entries).find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pkl) throw new TorchFileError('not a PyTorch checkpoint (the zip has no data.pkl)');
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const storage = (ref: StorageRef): Uint8Array => {
    const raw = entries[`${prefix}data/${ref.key}`];
    if (!raw) throw new TorchFileError(`the checkpoint is missing the data of storage ${ref.key} (truncated?)`);
    return raw;
  };
  const { root, generatedBy } = unpickle(entries[pkl]);
  const out = new Map<string, TorchTensor>();
  const walk = (value: unknown, path: string, seen: Set<unknown>): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (value instanceof TensorValue) {
      out.set(path, value.materialise(storage));
      return;
    }
    const join = (k: unknown): string => (path ? `${path}.${String(k)}` : String(k));
    if (value instanceof Map) for (const [k, v] of value) walk(v, join(k), seen);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, join(i), seen));
    else if ((value as Opaque).kind === 'opaque') {
      walk((value as Opaque).args, path, seen);
      walk((value as Opaque).state, path, seen);
    }
  };
  walk(root, '', new Set());
  return { tensors: out, ...(generatedBy ? { generatedBy } : {}) };
}

/** `generated_by` in a state dict's instance state `{_metadata: {'': {...}}}`, if any. */
function generatedByOf(state: unknown): string | undefined {
  const meta = state instanceof Map ? state.get('_metadata') : undefined;
  const rootMeta = meta instanceof Map ? meta.get('') : undefined;
  const by = rootMeta instanceof Map ? rootMeta.get('generated_by') : undefined;
  return typeof by === 'string' ? by : undefined;
}

class TensorValue {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}

  materialise(read: (ref: StorageRef) => Uint8Array): TorchTensor {
    const raw = read(this.storage);
    const [, width] = Object.values(STORAGES).find(([d]) => d === this.storage.dtype)!;
    if (raw.length < this.storage.size * width) throw new TorchFileError(`storage ${this.storage.key} is shorter than its ${this.storage.size} elements (truncated file?)`);
    const n = this.shape.reduce((a, b) => a * b, 1);
    if (this.storage.dtype === 'float32' && isContiguous(this.shape, this.stride)) {
      if (this.offset + n > this.storage.size) throw new TorchFileError(`a tensor reaches past its storage ${this.storage.key}`);
      return { data: new Float32Array(raw.slice(this.offset * 4, (this.offset + n) * 4).buffer), shape: [...this.shape], dtype: 'float32' };
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const get = elementReader(this.storage.dtype, view);
    const data = new Float32Array(n);
    const rank = this.shape.length;
    const idx = new Array<number>(rank).fill(0);
    for (let i = 0; i < n; i++) {
      let at = this.offset;
      for (let d = 0; d < rank; d++) at += idx[d] * this.stride[d];
      if (at >= this.storage.size) throw new TorchFileError(`a tensor reaches past its storage ${this.storage.key}`);
      data[i] = get(at);
      for (let d = rank - 1; d >= 0; d--) {
        if (++idx[d] < this.shape[d]) break;
        idx[d] = 0;
      }
    }
    return { data, shape: [...this.shape], dtype: this.storage.dtype };
  }
}

function elementReader(dtype: string, v: DataView): (i: number) => number {
  switch (dtype) {
    case 'float32': return (i) => v.getFloat32(i * 4, true);
    case 'float64': return (i) => v.getFloat64(i * 8, true);
    case 'float16': return (i) => halfToFloat(v.getUint16(i * 2, true));
    case 'bfloat16': {
      const f = new DataView(new ArrayBuffer(4));
      return (i) => {
        f.setUint32(0, v.getUint16(i * 2, true) << 16);
        return f.getFloat32(0);
      };
    }
    case 'int64': return (i) => Number(v.getBigInt64(i * 8, true));
    case 'int32': return (i) => v.getInt32(i * 4, true);
    case 'int16': return (i) => v.getInt16(i * 2, true);
    case 'int8': return (i) => v.getInt8(i);
    default: return (i) => v.getUint8(i);
  }
}

/** The pickle opcodes `torch.save` (protocol 2) and common containers use. */
function unpickle(bytes: Uint8Array): { root: unknown; generatedBy?: string } {
  let generatedBy: string | undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder();
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let p = 0;
  const need = (n: number): void => {
    if (p + n > bytes.length) throw new TorchFileError('the checkpoint is truncated (its pickle ends early)');
  };
  const u8 = (): number => (need(1), bytes[p++]);
  const u16 = (): number => (need(2), (p += 2), view.getUint16(p - 2, true));
  const u32 = (): number => (need(4), (p += 4), view.getUint32(p - 4, true));
  const i32 = (): number => (need(4), (p += 4), view.getInt32(p - 4, true));
  const str = (n: number): string => (need(n), (p += n), text.decode(bytes.subarray(p - n, p)));
  const line = (): string => {
    const end = bytes.indexOf(0x0a, p);
    if (end < 0) throw new TorchFileError('the checkpoint is truncated (its pickle ends early)');
    const s = text.decode(bytes.subarray(p, end));
    p = end + 1;
    return s;
  };
  const popMark = (): unknown[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new TorchFileError('not a PyTorch checkpoint (malformed pickle)');
    const items = stack.splice(at);
    items.shift();
    return items;
  };
  const pop = (): unknown => {
    if (!stack.length) throw new TorchFileError('not a PyTorch checkpoint (malformed pickle)');
    return stack.pop();
  };
  const top = (): unknown => stack[stack.length - 1];
  const setItems = (target: unknown, items: unknown[]): void => {
    if (target instanceof Map) for (let i = 0; i + 1 < items.length; i += 2) target.set(items[i], items[i + 1]);
    else if (target && typeof target === 'object' && (target as Opaque).kind === 'opaque') {
      const o = target as Opaque;
      const m = o.state instanceof Map ? o.state : (o.state = new Map());
      for (let i = 0; i + 1 < items.length; i += 2) (m as Map<unknown, unknown>).set(items[i], items[i + 1]);
    }
  };
  const call = (fn: unknown, args: unknown): unknown => {
    const a = Array.isArray(args) ? args : [];
    const name = fn instanceof Global ? fn.name : '?';
    switch (name) {
      case 'collections.OrderedDict':
      case 'builtins.dict':
        return new Map();
      case 'torch._utils._rebuild_tensor_v2':
      case 'torch._utils._rebuild_tensor': {
        const [storage, offset, shape, stride] = a as [StorageRef, number, number[], number[]];
        if (!storage || (storage as StorageRef).kind !== 'storage') throw new TorchFileError('not a PyTorch checkpoint (a tensor without storage)');
        return new TensorValue(storage, Number(offset), (shape as number[]).map(Number), (stride as number[]).map(Number));
      }
      case 'torch._utils._rebuild_parameter':
      case 'torch._utils._rebuild_parameter_with_state':
        return a[0];
      default:
        return { kind: 'opaque', global: name, args } satisfies Opaque;
    }
  };
  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x95: need(8); p += 8; break; // FRAME
      case 0x2e: return { root: pop(), generatedBy }; // STOP
      case 0x28: stack.push(MARK); break;
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x8f: stack.push([]); break; // EMPTY_SET
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x64: { const items = popMark(); const m = new Map(); setItems(m, items); stack.push(m); break; } // DICT
      case 0x91: stack.push(popMark()); break; // FROZENSET
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push([pop(), b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); stack.push([pop(), b, c]); break; } // TUPLE3
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: stack.push(memo.get(u8())); break; // BINGET
      case 0x6a: stack.push(memo.get(u32())); break; // LONG_BINGET
      case 0x63: { const mod = line(); stack.push(new Global(`${mod}.${line()}`)); break; } // GLOBAL
      case 0x93: { const n = pop(); const mod = pop(); stack.push(new Global(`${String(mod)}.${String(n)}`)); break; } // STACK_GLOBAL
      case 0x58: stack.push(str(u32())); break; // BINUNICODE
      case 0x8c: stack.push(str(u8())); break; // SHORT_BINUNICODE
      case 0x8d: { need(8); const n = Number(view.getBigUint64(p, true)); p += 8; stack.push(str(n)); break; } // BINUNICODE8
      case 0x54: stack.push(str(i32())); break; // BINSTRING
      case 0x55: stack.push(str(u8())); break; // SHORT_BINSTRING
      case 0x42: { const n = u32(); need(n); stack.push(bytes.subarray(p, (p += n))); break; } // BINBYTES
      case 0x43: { const n = u8(); need(n); stack.push(bytes.subarray(p, (p += n))); break; } // SHORT_BINBYTES
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: { // LONG1
        const n = u8();
        need(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[p + i]);
        if (n && bytes[p + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        p += n;
        stack.push(Number(v));
        break;
      }
      case 0x47: need(8); stack.push(view.getFloat64(p, false)); p += 8; break; // BINFLOAT
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x52: { const args = pop(); stack.push(call(pop(), args)); break; } // REDUCE
      case 0x81: { const args = pop(); stack.push(call(pop(), args)); break; } // NEWOBJ
      case 0x62: { // BUILD
        const state = pop();
        const target = top();
        if (target && typeof target === 'object' && (target as Opaque).kind === 'opaque') (target as Opaque).state = state;
        else if (target instanceof Map) generatedBy ??= generatedByOf(state);
        break;
      }
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x61: { const v = pop(); const l = top(); if (Array.isArray(l)) l.push(v); break; } // APPEND
      case 0x65: case 0x90: { const items = popMark(); const l = top(); if (Array.isArray(l)) l.push(...items); break; } // APPENDS, ADDITEMS
      case 0x51: { // BINPERSID
        const pid = pop();
        if (!Array.isArray(pid) || pid[0] !== 'storage' || !(pid[1] instanceof Global)) throw new TorchFileError('not a PyTorch checkpoint (unknown persistent reference)');
        const cls = pid[1].name.split('.').pop()!;
        const spec = STORAGES[cls];
        if (!spec) throw new TorchFileError(`unsupported tensor storage ${pid[1].name}`);
        stack.push({ kind: 'storage', dtype: spec[0], key: String(pid[2]), size: Number(pid[4]) } satisfies StorageRef);
        break;
      }
      default:
        throw new TorchFileError(`not a PyTorch state dict this reader understands (pickle opcode 0x${op.toString(16)} at byte ${p - 1})`);
    }
  }
}

function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}
