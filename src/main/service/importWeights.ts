/**
 * "Load weights…" with a PyTorch file or torchvision's ImageNet weights: the checkpoint is imported into the graph's
 * torchvision-layout template as a new model folder under `<home>/models`, which the graph's runs then start from.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fsp } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { LabError, type ImportedWeights, type LabArgs } from '../../shared/api';
import { TORCHVISION_TEMPLATES } from '../../shared/templates/torchvision';
import { notATorchCheckpoint, TORCH_WEIGHT_FILE } from '../../shared/weightFiles';
import { ExportError } from '../engine/export/errors';
import { ModelFolderError } from '../engine/modelFolder';
import { describeWeights } from '../engine/weights/describe';
import { fetchImagenetWeights } from '../engine/weights/imagenet';
import { importTorchFile } from '../engine/weights/importTorch';
import { StateDictError } from '../engine/weights/stateDict';
import { displayPath } from '../util/paths';
import { freshFolder } from './importModel';
import { uploadedFile } from './uploads';

/** The checkpoint's bytes and the name it is reported by. */
async function readSource(home: string, source: LabArgs<'importWeights'>['source'], torchvision: string): Promise<{ bytes: Uint8Array; name: string; classes?: string[] }> {
  if (source.kind === 'imagenet') {
    try {
      const got = await fetchImagenetWeights(torchvision);
      return { bytes: got.bytes, name: got.url.split('/').pop() ?? `${torchvision}.pth`, classes: got.classes };
    } catch (err) {
      if (err instanceof StateDictError) throw new LabError(err.message.replace(/ Give the \.pth file instead: .*$/, ' Choose a .pth or .safetensors file instead.'), err.message.startsWith('offline') ? 'offline' : 'unavailable');
      throw err;
    }
  }
  let file: string;
  let name: string;
  let dispose = async (): Promise<void> => undefined;
  if (source.kind === 'upload') {
    const up = await uploadedFile(home, source.id);
    ({ file, name, dispose } = up);
  } else {
    file = resolve(source.path);
    name = displayPath(file, home);
  }
  try {
    if (!TORCH_WEIGHT_FILE.test(name)) throw new LabError(notATorchCheckpoint(basename(name)), 'bad-args');
    const st = await fsp.stat(file).catch(() => undefined);
    if (!st) throw new LabError(`no file ${name}`, 'not-found');
    if (!st.isFile()) throw new LabError(`${name} is a folder, not a .pth, .pt or .safetensors file`, 'bad-args');
    return { bytes: await fsp.readFile(file), name: basename(name) };
  } finally {
    await dispose();
  }
}

export async function importWeightsFolder(home: string, a: LabArgs<'importWeights'>): Promise<ImportedWeights> {
  const torchvision = TORCHVISION_TEMPLATES[a.template];
  if (!torchvision) throw new LabError(`'${a.template}' is not a template with torchvision's layout; the weights of ${Object.keys(TORCHVISION_TEMPLATES).join(', ')} can be imported`, 'bad-args');
  const { bytes, name, classes } = await readSource(home, a.source, torchvision);
  await tf.ready();
  const dir = freshFolder(join(home, 'models'), `${a.template}-${basename(name, extname(name))}`);
  let imported;
  try {
    ({ imported } = await importTorchFile(bytes, name, a.template, dir, classes));
  } catch (err) {
    if (err instanceof StateDictError) throw new LabError(err.message, 'bad-args');
    if (err instanceof ExportError || err instanceof ModelFolderError) throw new LabError(`cannot keep the weights of ${name}: ${err.message}`, 'io');
    throw err;
  }
  imported.model.dispose();
  const { report } = imported;
  const w = await describeWeights(dir);
  return { ...w, summary: `loaded ${report.loaded} of ${report.total} tensors of ${name} into ${imported.info.name.split(' (')[0]}`, notes: imported.info.notes };
}
