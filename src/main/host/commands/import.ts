import { CliError, type Command } from './types';

const USAGE = 'npm run cli -- import <file.pth|.pt|.safetensors> --template <id> --out DIR [--classes labels.txt]  |  import --imagenet --template <id> --out DIR';

/** `import <file>`: one importer per kind of file, chosen by its extension. */
const IMPORTERS: { test: RegExp; load: () => Promise<{ command: Command }> }[] = [
  // --- torchvision / PyTorch checkpoints (weights-import) ---
  { test: /\.(pth|pt|safetensors)$/i, load: () => import('./importTorch') },
  // --- end torchvision / PyTorch checkpoints ---
];

export const command: Command = async (argv) => {
  // --- torchvision ImageNet weights (weights-import) ---
  if (argv.includes('--imagenet')) return (await import('./importTorch')).command(argv);
  // --- end ---
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) throw new CliError(`usage: ${USAGE}`, 2);
  const importer = IMPORTERS.find((i) => i.test.test(file));
  if (!importer) throw new CliError(`cannot import '${file}': the file kinds known are .pth, .pt and .safetensors (PyTorch state dicts)\nusage: ${USAGE}`, 2);
  return (await importer.load()).command(argv);
};
