import { resolve } from 'node:path';
import { LabError } from '../../../shared/api';
import { importTorchRun } from '../../service/runs/importTorch';
import { netsmithHome } from '../../util/home';
import { loadGraph } from '../loadGraph';
import { CliError, parseArgs, type Command } from './types';

const USAGE = 'npm run cli -- runs import <checkpoint.pt | .safetensors | folder> --graph <template|project file> --dataset <name|folder> [--name NAME] [--runs DIR] [--json]';

/** `runs import`: a network trained elsewhere (train.py under torchrun, the runner's torch.pt) becomes a run. */
export const command: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub !== 'import') throw new CliError(`usage: ${USAGE}`, 2);
  const { positional, options } = parseArgs(rest, ['json'], ['graph', 'project', 'dataset', 'name', 'runs']);
  const ref = positional[0];
  const graphRef = typeof options.graph === 'string' ? options.graph : typeof options.project === 'string' ? options.project : undefined;
  if (!ref || !graphRef || typeof options.dataset !== 'string') throw new CliError(`usage: ${USAGE}`, 2);
  const { graph } = await loadGraph(graphRef);
  const runsDir = resolve(typeof options.runs === 'string' ? options.runs : `${netsmithHome()}/runs`);
  try {
    const run = await importTorchRun({ runsDir, checkpoint: ref, graph, dataset: options.dataset, ...(typeof options.name === 'string' ? { name: options.name } : {}) });
    if (options.json === true) console.log(JSON.stringify(run));
    else console.log(`imported ${ref} as run ${run.id} ('${run.name}') in ${runsDir}: open it in Runs, or \`npm run cli -- predict ${run.id} <image>\` / \`export ${run.id} --format onnx --out DIR\``);
    return 0;
  } catch (err) {
    if (err instanceof LabError) throw new CliError(err.message);
    throw err;
  }
};
