import * as tf from '@tensorflow/tfjs';
import { existsSync, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { LabError, type ImportedModelProject, type LabArgs } from '../../shared/api';
import { ExportError } from '../engine/export/errors';
import { OnnxImportError } from '../engine/import/onnx/errors';
import { importOnnxFile, writeImportedFolder } from '../engine/import/onnx/importOnnx';
import { ModelFolderError } from '../engine/modelFolder';
import { describeWeights } from '../engine/weights/describe';
import { displayPath } from '../util/paths';

const isOnnx = (name: string): boolean => extname(name).toLowerCase() === '.onnx';

/** `<models>/<name>-<n>`: the first that does not exist yet (an import never overwrites an earlier one). */
export function freshFolder(models: string, name: string): string {
  const stem = name.replace(/[^\w.-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 80) || 'model';
  for (let n = 1; ; n++) {
    const dir = join(models, `${stem}-${n}`);
    if (!existsSync(dir)) return dir;
  }
}

/**
 * File → Open of an .onnx: imports it into a new model folder under `<home>/models` (the weights stay there, not
 * in the graph JSON) and returns the imported graph with `meta.weights` on that folder, so its runs start from them.
 */
export async function importModelProject(home: string, a: LabArgs<'importModel'>): Promise<ImportedModelProject> {
  const shown = a.upload ? basename(a.upload.name) : displayPath(resolve(a.path!), home);
  if (!isOnnx(shown)) throw new LabError(`${shown} is not an .onnx file: only ONNX models can be imported`, 'bad-args');
  const name = basename(shown, extname(shown));
  let file = a.path ? resolve(a.path) : '';
  let temp: string | undefined;
  if (a.upload) {
    temp = await fsp.mkdtemp(join(tmpdir(), 'netsmith-onnx-'));
    file = join(temp, `${name}.onnx`);
    await fsp.writeFile(file, Buffer.from(a.upload.data, 'base64'));
  }
  await tf.ready();
  let imported;
  try {
    imported = await importOnnxFile(file, { name });
  } catch (err) {
    if (err instanceof OnnxImportError) throw new LabError(`cannot import ${shown}: ${err.message.split(file).join(shown)}`, 'bad-args');
    throw err;
  } finally {
    if (temp) await fsp.rm(temp, { recursive: true, force: true });
  }
  let dir: string;
  try {
    dir = await writeImportedFolder(freshFolder(join(home, 'models'), name), imported);
  } catch (err) {
    if (err instanceof ExportError || err instanceof ModelFolderError) throw new LabError(`cannot keep the weights of ${shown}: ${err.message}`, 'io');
    throw err;
  } finally {
    imported.model.dispose();
  }
  const w = await describeWeights(dir);
  const graph = { ...imported.graph, meta: { ...imported.graph.meta, weights: { from: w.from, label: w.label } } };
  return { dir: displayPath(dir, home), name, text: JSON.stringify(graph, null, 2), notes: imported.info.notes };
}
