import { TORCH_WEIGHT_FILE } from '../../../shared/weightFiles';
import { CliError, type Command } from './types';

const USAGE = [
  'npm run cli -- import <file.pth|.pt|.safetensors> --template <id> --out DIR [--classes labels.txt]',
  '               import --imagenet --template <id> --out DIR',
  '               import <model.onnx> --out DIR [--until NODE] [--json]',
].join('\n');

/** `import <file>`: one importer per kind of file, chosen by its extension. */
const IMPORTERS: { test: RegExp; load: () => Promise<{ command: Command }> }[] = [
  { test: TORCH_WEIGHT_FILE, load: () => import('./importTorch') },
  { test: /\.onnx$/i, load: () => import('./importOnnx') },
];

export const command: Command = async (argv) => {
  if (argv.includes('--imagenet')) return (await import('./importTorch')).command(argv);
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) throw new CliError(`usage: ${USAGE}`, 2);
  const importer = IMPORTERS.find((i) => i.test.test(file));
  if (!importer) throw new CliError(`cannot import '${file}': the file kinds known are .onnx (ONNX models) and .pth, .pt, .safetensors (PyTorch state dicts)\nusage: ${USAGE}`, 2);
  return (await importer.load()).command(argv);
};
