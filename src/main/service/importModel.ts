import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { LabError, type ImportedModelProject, type LabArgs } from '../../shared/api';
import { ExportError } from '../engine/export/errors';
import { OnnxImportError } from '../engine/import/onnx/errors';
import { importOnnxFile, writeImportedFolder } from '../engine/import/onnx/importOnnx';
import { ModelFolderError } from '../engine/modelFolder';
import { describeWeights } from '../engine/weights/describe';
import { displayPath } from '../util/paths';
import { uploadedFile } from './uploads';

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
 * The importer's message about `file`, naming it as the user knows it. An uploaded model comes without the files
 * next to it, so external data it names is missing: it opens from a host path instead.
 */
function uploadedMessage(message: string, file: string, shown: string, uploaded: boolean): string {
  if (!uploaded) return message.split(file).join(shown);
  const text = message.split(file).join(shown).split(dirname(file) + sep).join('');
  return / keeps its data in /.test(text) ? `${text}. A model with external data files opens from its path on the host: type it in File → Open` : text;
}

/**
 * File → Open of an .onnx: imports it into a new model folder under `<home>/models` (the weights stay there, not
 * in the graph JSON) and returns the imported graph with `meta.weights` on that folder, so its runs start from them.
 */
export async function importModelProject(home: string, a: LabArgs<'importModel'>): Promise<ImportedModelProject> {
  const up = a.upload ? await uploadedFile(home, a.upload) : undefined;
  const file = up ? up.file : resolve(a.path!);
  const shown = up ? up.name : displayPath(file, home);
  const name = basename(shown, extname(shown));
  let imported;
  try {
    if (!isOnnx(shown)) throw new LabError(`${shown} is not an .onnx file: only ONNX models can be imported`, 'bad-args');
    await tf.ready();
    imported = await importOnnxFile(file, { name });
  } catch (err) {
    if (err instanceof OnnxImportError) throw new LabError(`cannot import ${shown}: ${uploadedMessage(err.message, file, shown, !!up)}`, 'bad-args');
    throw err;
  } finally {
    await up?.dispose();
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
