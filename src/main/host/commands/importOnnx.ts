import * as tf from '@tensorflow/tfjs';
import { ExportError } from '../../engine/export/errors';
import { ModelFolderError } from '../../engine/modelFolder';
import { OnnxImportError } from '../../engine/import/onnx/errors';
import { importOnnxFile, writeImportedFolder } from '../../engine/import/onnx/importOnnx';
import { withCommas } from '../format';
import { CliError, parseArgs, type Command } from './types';

const USAGE = 'npm run cli -- import <model.onnx> --out DIR [--until NODE] [--json]';

/** Imports an .onnx file into a lab model folder; an unmapped op is reported by name and node, nothing is written. */
export const command: Command = async (argv) => {
  const { positional, options } = parseArgs(argv, ['json'], ['out', 'until']);
  const file = positional[0];
  if (!file || typeof options.out !== 'string') throw new CliError(`usage: ${USAGE}`, 2);
  if (options.until === true) throw new CliError('--until needs a node name', 2);
  await tf.setBackend('cpu');
  let imported;
  try {
    imported = await importOnnxFile(file, { until: typeof options.until === 'string' ? options.until : undefined });
  } catch (err) {
    if (err instanceof OnnxImportError) throw new CliError(`cannot import ${file}: ${err.message}`);
    throw err;
  }
  try {
    const dir = await writeImportedFolder(options.out, imported);
    const r = imported.report;
    if (options.json) console.log(JSON.stringify({ dir, ...r, fromMetadata: imported.fromMetadata, notes: imported.info.notes }));
    else {
      console.log(`imported ${file} (${r.producer || 'unknown producer'}, opset ${r.opset}): ${r.onnxNodes} ONNX nodes → ${r.blocks} blocks, ${withCommas(r.params)} parameters${r.until ? `, up to node '${r.until}'` : ''}`);
      console.log(`wrote the model folder ${dir}: netsmith-model.json, graph.json, preprocessing.json, checkpoint/`);
      for (const n of imported.info.notes) console.log(`note: ${n}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ExportError || err instanceof ModelFolderError) throw new CliError(err.message);
    throw err;
  } finally {
    imported.model.dispose();
  }
};
