import { CliError, type Command } from './types';

const USAGE = 'npm run cli -- import <model.onnx> --out DIR [--until NODE] [--json]';

/** `import <file>`: one importer per kind of file, chosen by its extension. */
const IMPORTERS: { test: RegExp; load: () => Promise<{ command: Command }> }[] = [
  // (weights-import adds its .pth/.pt/.safetensors entry here: same file, same structure)
  // --- ONNX files (onnx-import) ---
  { test: /\.onnx$/i, load: () => import('./importOnnx') },
  // --- end ONNX files ---
];

export const command: Command = async (argv) => {
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) throw new CliError(`usage: ${USAGE}`, 2);
  const importer = IMPORTERS.find((i) => i.test.test(file));
  if (!importer) throw new CliError(`cannot import '${file}': the file kinds known are .onnx\nusage: ${USAGE}`, 2);
  return (await importer.load()).command(argv);
};
