import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { StateDictError } from '../../engine/weights/stateDict';
import { importTorchFile, TORCHVISION_TEMPLATES } from '../../engine/weights/importTorch';
import { fetchImagenetWeights } from '../../engine/weights/imagenet';
import { ExportError } from '../../engine/export/errors';
import { CliError, parseArgs, type Command } from './types';

const USAGE = 'npm run cli -- import <file.pth|.pt|.safetensors> --template <id> --out DIR [--classes labels.txt]  |  import --imagenet --template <id> --out DIR';

/** A torchvision state dict into its template, written as a lab model folder. */
export const command: Command = async (argv) => {
  const { positional, options } = parseArgs(argv, ['imagenet'], ['template', 'out', 'classes']);
  const imagenet = options.imagenet === true;
  const [file] = positional;
  const template = options.template;
  const out = options.out;
  if ((!file && !imagenet) || typeof template !== 'string' || typeof out !== 'string') throw new CliError(`usage: ${USAGE}\ntemplates: ${Object.keys(TORCHVISION_TEMPLATES).join(', ')}`, 2);
  let bytes: Uint8Array;
  let name = file ? basename(file) : '';
  let classNames: string[] | undefined;
  if (imagenet) {
    const model = TORCHVISION_TEMPLATES[template];
    if (!model) throw new CliError(`'${template}' is not a template with torchvision's layout; use one of ${Object.keys(TORCHVISION_TEMPLATES).join(', ')}`, 2);
    try {
      const fetched = await fetchImagenetWeights(model);
      bytes = fetched.bytes;
      classNames = fetched.classes;
      name = fetched.url.split('/').pop() ?? `${model}.pth`;
    } catch (err) {
      if (err instanceof StateDictError) throw new CliError(err.message);
      throw err;
    }
  } else {
    try {
      bytes = await readFile(file);
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 2);
    }
  }
  if (typeof options.classes === 'string') {
    try {
      classNames = (await readFile(options.classes, 'utf8')).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    } catch {
      throw new CliError(`cannot read the class names file ${options.classes}`, 2);
    }
  }
  try {
    const { dir, imported } = await importTorchFile(bytes, name, template, out, classNames);
    const { report, info, preprocessing } = imported;
    console.log(`imported ${report.loaded} of ${report.total} tensors${report.prefix ? ` (keys under '${report.prefix}')` : ''} into ${template} → ${dir}`);
    console.log(`preprocessing: ${preprocessing.input.join('×')}, mean ${preprocessing.mean.join(', ')}, std ${preprocessing.std.join(', ')}; ${info.classes.length} classes`);
    for (const n of info.notes) console.log(`note: ${n}`);
    imported.model.dispose();
    return 0;
  } catch (err) {
    if (err instanceof StateDictError || err instanceof ExportError) throw new CliError(err.message);
    throw err;
  }
};
