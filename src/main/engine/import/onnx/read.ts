import { promises as fsp } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { MAX_ONNX_BYTES } from '../../../../shared/api';
import { decodeModel, setTensorData, type OnnxModel } from './decode';
import { OnnxImportError } from './errors';

const mb = (n: number): string => `${(n / 1024 ** 2).toFixed(0)} MB`;

/** Reads and decodes an .onnx file, and its external-data tensors; every failure is an OnnxImportError. */
export async function readOnnxFile(file: string, maxBytes = MAX_ONNX_BYTES): Promise<OnnxModel> {
  let size: number;
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) throw new OnnxImportError(`${file} is not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof OnnxImportError) throw err;
    throw new OnnxImportError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (size > maxBytes) throw new OnnxImportError(`${file} is ${mb(size)}: too large for the editor (the limit is ${mb(maxBytes)})`);
  if (size === 0) throw new OnnxImportError(`${file} is empty`);
  const model = decodeModel(new Uint8Array(await fsp.readFile(file)));
  await readExternalData(model, dirname(file), maxBytes - size);
  return model;
}

/** Fills the tensors stored outside the model file (data_location EXTERNAL), checking every file and range. */
async function readExternalData(model: OnnxModel, dir: string, budget: number): Promise<void> {
  let total = 0;
  for (const t of model.initializers.values()) {
    if (!t.external) continue;
    const loc = t.external.location;
    if (!loc || isAbsolute(loc) || normalize(loc).startsWith('..')) throw new OnnxImportError(`tensor '${t.name}' points to external data '${loc}' outside the model's folder`);
    const path = join(dir, loc);
    let fh;
    try {
      fh = await fsp.open(path, 'r');
    } catch {
      throw new OnnxImportError(`tensor '${t.name}' keeps its data in '${loc}', which is missing next to the model (${path})`);
    }
    try {
      const size = (await fh.stat()).size;
      const elementBytes = t.dataType === 11 || t.dataType === 7 ? 8 : t.dataType === 2 || t.dataType === 3 ? 1 : 4;
      const length = t.external.length ?? t.dims.reduce((a, b) => a * b, 1) * elementBytes;
      if (t.external.offset + length > size) throw new OnnxImportError(`tensor '${t.name}': '${loc}' is ${size} bytes, too short for ${length} bytes at offset ${t.external.offset}`);
      total += length;
      if (total > budget) throw new OnnxImportError(`the model and its external data are too large for the editor (over ${mb(MAX_ONNX_BYTES)})`);
      const buf = new Uint8Array(length);
      await fh.read(buf, 0, length, t.external.offset);
      setTensorData(t, buf);
    } finally {
      await fh.close();
    }
  }
}
