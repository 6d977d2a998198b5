import { extname } from 'node:path';
import { CliError, type Command } from './types';

const USAGE = 'npm run cli -- import <model.onnx> --out DIR [--until NODE] [--json]';

// ---- importers by file extension (each in its own module; add a line per format) ----
const IMPORTERS: Record<string, () => Promise<{ command: Command }>> = {
  '.onnx': () => import('./importOnnx'),
};
// ---- end of importers ----

/** `import <file> --out DIR`: a model from elsewhere becomes a lab model folder (graph + checkpoint + preprocessing). */
export const command: Command = async (argv) => {
  const file = argv.find((a, i) => !a.startsWith('--') && (i === 0 || !argv[i - 1].startsWith('--') || ['--json'].includes(argv[i - 1])));
  if (!file) throw new CliError(`usage: ${USAGE}`, 2);
  const load = IMPORTERS[extname(file).toLowerCase()];
  if (!load) throw new CliError(`cannot import '${file}': the lab imports ${Object.keys(IMPORTERS).join(', ')} files`, 2);
  return (await load()).command(argv);
};
