import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isRunId } from '../../../shared/ids';
import { EXPORT_FORMATS, ExportError, exportRun, type ExportFormat } from '../../engine/export';
import { exportModelFolder, isModelFolder, ModelFolderError } from '../../engine/modelFolder';
import { netsmithHome } from '../../util/home';
import { CheckpointError } from '../../runs/runStore';
import { CliError, parseArgs, type Command } from './types';

const USAGE = 'npm run cli -- export <run id | run folder> --format tfjs|onnx|pytorch|graph --out DIR [--checkpoint best|last|NAME] [--fuse-bn] [--runs runs/]';

/** Exports a run's checkpoint (or its graph) into a new folder; nothing is left behind on failure. */
export const command: Command = async (argv) => {
  const { positional, options } = parseArgs(argv, ['fuse-bn'], ['format', 'out', 'checkpoint', 'runs']);
  const ref = positional[0];
  const format = options.format;
  if (!ref || typeof options.out !== 'string' || typeof format !== 'string') throw new CliError(`usage: ${USAGE}`, 2);
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')}, got '${format}'`, 2);
  const fuseBn = options['fuse-bn'] === true;
  // A lab model folder (an import) exports like a run's checkpoint.
  if (isModelFolder(ref)) {
    try {
      const done = await exportModelFolder(ref, format as ExportFormat, options.out, { fuseBatchNorm: fuseBn });
      console.log(`exported ${format} of model folder ${ref} → ${done.dir}: ${done.files.join(', ')}`);
      return 0;
    } catch (err) {
      if (err instanceof ExportError || err instanceof ModelFolderError) throw new CliError(err.message);
      throw err;
    }
  }
  const runsDir = resolve(typeof options.runs === 'string' ? options.runs : `${netsmithHome()}/runs`);
  // A run folder, else a run id (the one rule: never '..' or a path) under the runs folder.
  const runDir = existsSync(join(ref, 'run.json')) ? resolve(ref) : isRunId(ref) ? join(runsDir, ref) : '';
  if (!runDir || !existsSync(join(runDir, 'run.json'))) throw new CliError(`'${ref}' is neither a run folder nor a run id under ${runsDir}`, 2);
  const fuseBatchNorm = options['fuse-bn'] === true;
  if (fuseBatchNorm && format === 'graph') throw new CliError("--fuse-bn applies to the tfjs, onnx and pytorch formats (the graph format has no weights)", 2);
  try {
    const done = await exportRun(runDir, format as ExportFormat, options.out, { checkpoint: typeof options.checkpoint === 'string' ? options.checkpoint : undefined, fuseBatchNorm });
    console.log(`exported ${format}${done.checkpoint ? ` (checkpoint ${done.checkpoint})` : ''}${fuseBatchNorm ? ', BatchNorm fused' : ''} → ${done.dir}: ${done.files.join(', ')}`);
    return 0;
  } catch (err) {
    if (err instanceof ExportError || err instanceof CheckpointError) throw new CliError(err.message);
    throw err;
  }
};
