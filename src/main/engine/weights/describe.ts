import { existsSync, promises as fsp } from 'node:fs';
import { displayPath } from '../../util/paths';
import { join, resolve } from 'node:path';
import { LabError, type WeightsSource } from '../../../shared/api';
import { GRAPH_FILE, isModelFolder } from '../modelFolder';
import { readCheckpointTopology } from '../../runs/checkpoints';
import { InitFromError, resolveInitSource } from './initFrom';
import { ModelFolderError } from '../modelFolder';

/** "Load weights…": what the folder is, its graph when it has one, and the layers its checkpoint holds. */
export async function describeWeights(path: string): Promise<WeightsSource> {
  const dir = resolve(path);
  const shown = displayPath(dir);
  if (!existsSync(dir)) throw new LabError(`no folder ${shown}`, 'not-found');
  let source;
  try {
    source = await resolveInitSource(dir);
  } catch (err) {
    if (err instanceof InitFromError || err instanceof ModelFolderError) throw new LabError(err.message.replace(/^init-from: /, '').split(dir).join(shown), 'bad-args');
    throw err;
  }
  let layers: string[];
  try {
    const { weightSpecs } = await readCheckpointTopology(source.checkpoint);
    layers = [...new Set(weightSpecs.map((w) => w.name.split('/')[0]))];
  } catch {
    throw new LabError(`the checkpoint in ${shown} cannot be read`, 'bad-args');
  }
  let graph: string | undefined;
  if (isModelFolder(dir)) graph = await fsp.readFile(join(dir, GRAPH_FILE), 'utf8');
  else {
    const record = await fsp.readFile(join(dir, 'run.json'), 'utf8').then((t) => JSON.parse(t) as { graph?: unknown }, () => undefined);
    if (record?.graph) graph = JSON.stringify(record.graph);
  }
  return { from: dir, label: source.label.split(dir).join(shown), layers, ...(graph ? { graph } : {}) };
}
