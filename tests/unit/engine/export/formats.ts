import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { exportFiles, writeExportFolder } from '../../../../src/main/engine/export';
import { exportOnnx, type OnnxExportOptions } from '../../../../src/main/engine/export/onnx/export';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { compiledWithStats, fixedData, maxAbsDiff } from './helpers';

/** The export contract's machinery, shared by the format tests and the fixture unit's test. */

/**
 * Runs the ONNX export of `graph` in onnxruntime and returns the largest difference to the lab's prediction,
 * relative to the output's scale when that exceeds 1 (deep nets at init reach |y| ≈ 300, where float32 rounding
 * alone is ~1e-5 relative): `max|onnx − lab| / max(1, max|lab|)`.
 */
export async function compareOnnxWithLab(graph: GraphDoc, batch = 2, options: OnnxExportOptions = {}, input?: (data: Float32Array) => Float32Array): Promise<number> {
  const { model } = compiledWithStats(graph);
  try {
    const shape = [batch, ...graph.meta.input.shape];
    const raw = fixedData(shape.reduce((a, b) => a * b, 1), 5);
    const data = input ? input(raw) : raw;
    const x = tf.tensor(data, shape);
    const labOut = model.predict(x) as tf.Tensor | tf.Tensor[];
    const labs = (Array.isArray(labOut) ? labOut : [labOut]).map((t) => ({ shape: t.shape, data: t.dataSync() }));
    const { bytes, inputName, outputNames } = exportOnnx(graph, model, options);
    const session = await ort.InferenceSession.create(bytes);
    const result = await session.run({ [inputName]: new ort.Tensor('float32', data, shape) });
    let worst = 0;
    outputNames.forEach((name, i) => {
      assert.deepEqual([...result[name].dims], labs[i].shape, `output ${name} shape`);
      const scale = maxAbsDiff(labs[i].data, new Float32Array(labs[i].data.length)) || 1;
      const rel = Math.max(1, scale);
      worst = Math.max(worst, maxAbsDiff(result[name].data as Float32Array, labs[i].data) / rel);
    });
    tf.dispose([x, labOut as tf.Tensor]);
    return worst;
  } finally {
    model.dispose();
  }
}

/** Debian's python3-onnx (1.12) in /usr/bin/python3 gives the reference checker, shape inference included. */
export const ONNX_PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0);

/** Runs onnx.checker (full check) on the ONNX exports of these graphs; throws with the checker's message. */
export function checkOnnx(jobs: { name: string; graph: GraphDoc; fuse?: boolean }[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-onnx-check-'));
  try {
    const files = jobs.map(({ name, graph, fuse }) => {
      const { model } = compiledWithStats(graph);
      try {
        const file = join(dir, `${name}.onnx`);
        writeFileSync(file, exportOnnx(graph, model, { fuseBatchNorm: fuse }).bytes);
        return file;
      } finally {
        model.dispose();
      }
    });
    const code = 'import onnx, sys\nfor f in sys.argv[1:]:\n    m = onnx.load(f)\n    onnx.checker.check_model(m, full_check=True)\n    assert m.opset_import[0].version >= 17\nprint("ok")';
    assert.equal(execFileSync(ONNX_PYTHON!, ['-c', code, ...files], { encoding: 'utf8' }).trim(), 'ok');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Debian's python3-torch lives in /usr/bin/python3 (the pyenv python3 on PATH has no torch). */
export const TORCH_PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);

/** Loads each exported model.py under its own module name and runs it on the NHWC input (permuted to NCHW). */
const TORCH_RUNNER = `
import importlib.util, json, os, sys
import numpy as np
import torch
jobs = json.load(open(sys.argv[1]))
out = {}
with torch.no_grad():
    for i, job in enumerate(jobs):
        spec = importlib.util.spec_from_file_location(f'netsmith_model_{i}', os.path.join(job['dir'], 'model.py'))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        model = mod.load_model(os.path.join(job['dir'], 'weights.safetensors'))
        x = torch.from_numpy(np.fromfile(job['file'], dtype='<f4').reshape(job['shape'])).permute(0, 3, 1, 2)
        ys = model(x)
        ys = list(ys) if isinstance(ys, tuple) else [ys]
        ys = [y.permute(0, 2, 3, 1) if y.dim() == 4 else y for y in ys]
        out[job['name']] = [{'shape': list(y.shape), 'data': y.contiguous().reshape(-1).tolist()} for y in ys]
json.dump(out, open(sys.argv[2], 'w'))
`;

export interface TorchJob {
  name: string;
  graph: GraphDoc;
  /** Export with Conv-BN fusion. */
  fuse?: boolean;
}

/**
 * Exports every job as PyTorch into `work`, runs them all in one Python process (torch starts slowly); max
 * |torch − lab| / max(1, |lab|) per job, over all outputs.
 */
export async function comparePytorch(work: string, jobs: TorchJob[]): Promise<Map<string, number>> {
  const specs: Record<string, { file: string; shape: number[] }> = {};
  const labs = new Map<string, { shape: number[]; data: Float32Array }[]>();
  const dirs: string[] = [];
  for (const [i, job] of jobs.entries()) {
    const { model } = compiledWithStats(job.graph);
    try {
      const dir = join(work, `m${i}-${Math.random().toString(36).slice(2, 8)}`);
      await writeExportFolder(dir, await exportFiles('pytorch', job.graph, model, {}, { fuseBatchNorm: job.fuse }));
      const shape = [2, ...job.graph.meta.input.shape];
      const data = fixedData(shape.reduce((a, b) => a * b, 1), 7 + i);
      writeFileSync(join(dir, 'x.bin'), new Uint8Array(data.buffer));
      const y = model.predict(tf.tensor(data, shape)) as tf.Tensor | tf.Tensor[];
      labs.set(job.name, (Array.isArray(y) ? y : [y]).map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array })));
      tf.dispose(y);
      specs[job.name] = { file: join(dir, 'x.bin'), shape };
      dirs.push(dir);
    } finally {
      model.dispose();
    }
  }
  const jobFile = join(work, 'jobs.json');
  writeFileSync(jobFile, JSON.stringify(jobs.map((job, i) => ({ name: job.name, dir: dirs[i], ...specs[job.name] }))));
  writeFileSync(join(work, 'run.py'), TORCH_RUNNER);
  execFileSync(TORCH_PYTHON!, [join(work, 'run.py'), jobFile, join(work, 'out.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const outs = JSON.parse(readFileSync(join(work, 'out.json'), 'utf8')) as Record<string, { shape: number[]; data: number[] }[]>;
  const result = new Map<string, number>();
  for (const job of jobs) {
    const lab = labs.get(job.name)!;
    assert.equal(outs[job.name].length, lab.length, `${job.name}: number of outputs`);
    let worst = 0;
    outs[job.name].forEach((out, i) => {
      assert.deepEqual(out.shape, lab[i].shape, `${job.name}: output ${i} shape`);
      const scale = Math.max(1, maxAbsDiff(lab[i].data, new Float32Array(lab[i].data.length)));
      worst = Math.max(worst, maxAbsDiff(out.data, lab[i].data) / scale);
    });
    result.set(job.name, worst);
  }
  return result;
}

const run = promisify(execFile);

/** A folder where TF.js exports load in fresh Node processes that know nothing of Netsmith but the export's loader. */
export interface TfjsWorkspace {
  work: string;
  /** Loads `<work>/<dir>` (model.json, weights.bin, netsmith-layers.js) in a child process and predicts `data`. */
  predictInChild(dir: string, data: Float32Array, shape: number[]): Promise<{ shape: number[]; data: number[] }>;
  dispose(): void;
}

export function tfjsWorkspace(): TfjsWorkspace {
  const work = mkdtempSync(join(tmpdir(), 'netsmith-tfjs-export-'));
  // The exported loader imports '@tensorflow/tfjs': let the export folder resolve the repo's copy.
  mkdirSync(join(work, 'node_modules', '@tensorflow'), { recursive: true });
  symlinkSync(resolve('node_modules/@tensorflow/tfjs'), join(work, 'node_modules', '@tensorflow', 'tfjs'));
  writeFileSync(join(work, 'package.json'), '{"type":"module"}');
  return {
    work,
    async predictInChild(dir, data, shape) {
      const script = `
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { loadFromFiles } from './${dir}/netsmith-layers.js';
await tf.setBackend('cpu');
const model = await loadFromFiles(readFileSync('./${dir}/model.json', 'utf8'), readFileSync('./${dir}/weights.bin'));
const x = tf.tensor(${JSON.stringify(Array.from(data))}, ${JSON.stringify(shape)});
const y = model.predict(x);
process.stdout.write(JSON.stringify({ shape: y.shape, data: Array.from(y.dataSync()) }));
`;
      writeFileSync(join(work, `check-${dir}.mjs`), script);
      const { stdout } = await run(process.execPath, [`check-${dir}.mjs`], { cwd: work, maxBuffer: 64 << 20 });
      return JSON.parse(stdout.slice(stdout.indexOf('{"shape"'))) as { shape: number[]; data: number[] };
    },
    dispose: () => rmSync(work, { recursive: true, force: true }),
  };
}
