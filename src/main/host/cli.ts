#!/usr/bin/env node
// `npm run cli -- <command> …` and `npm run serve`. Each command lives in commands/<name>.ts.
import { EXIT_CODE, errorKind } from '../../shared/errors';
import { toLabError } from '../util/errors';
import { CliError, type Command } from './commands/types';

const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  inspect: () => import('./commands/inspect'),
  templates: () => import('./commands/templates'),
  serve: () => import('./commands/serve'),
  train: () => import('./commands/train'),
  experiment: () => import('./commands/experiment'),
  export: () => import('./commands/export'),
  predict: () => import('./commands/predict'),
  sweep: () => import('./commands/sweep'),
  import: () => import('./commands/import'),
  runs: () => import('./commands/runs'),
};

function usage(): string {
  return [
    'Usage: npm run cli -- <command> [options]',
    '',
    'Commands:',
    '  templates                         list the architecture templates',
    '  inspect <template|file> [--json]  per-layer shapes, parameters and FLOPs',
    '  serve [--port P]                  the browser UI + API on 127.0.0.1 (prints the URL with its token)',
    '  export <run> --format tfjs|onnx|pytorch|graph --out DIR [--checkpoint NAME] [--runs DIR]',
    '  predict <run> <image> [--top 5 --class N --gradcam out.png --layer NAME --features out.png --json]',
    '  train <template|file> --dataset <name|folder> [--epochs N --batch N --lr X --optimizer adam --backend auto --out runs/ --json]',
    '  sweep <template|file> --dataset D --space space.json --trials N [--parallel N --strategy grid|random|tpe + train options] | sweep resume|show <id> | sweep list',
    '  import <model.onnx> --out DIR [--until NODE]   an ONNX model as a model folder',
    '  import <file.pth|.pt|.safetensors> --template <id> --out DIR   torchvision weights as a model folder',
    '  runs import <checkpoint.pt|folder> --graph <template|file> --dataset <name>   a PyTorch state dict trained elsewhere (torchrun) as a run',
    '  experiment list | <name> [--json --seed N --variants a,b --concurrency N] | save --title T --runs id,id [--metric M]',
  ].join('\n');
}

async function main(argv: string[]): Promise<number | undefined> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`Unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  const { command } = await load();
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliError) {
      console.error(`error: ${err.message}`);
      process.exitCode = err.exitCode;
    } else {
      // Anything else in the taxonomy: its message and the exit code of its kind; a stack only for a bug.
      const e = toLabError(err);
      if (errorKind(e.code) === 'internal') console.error(process.env.NETSMITH_DEBUG ? err : `internal error: ${e.message} (NETSMITH_DEBUG=1 shows the stack)`);
      else console.error(`error: ${e.message}`);
      process.exitCode = EXIT_CODE[errorKind(e.code)];
    }
  },
);
