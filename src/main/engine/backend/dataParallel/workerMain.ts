// One data-parallel replica: a worker thread with its own tfjs + wasm
// backend (wasm threads are disabled in Node, so one thread per core is the
// way to use more than one core). It loads weights from the shared weight
// buffer when their version changes, and writes the gradients of its shard of
// each batch into its own region of the shared gradient buffer.
// `serveReplicas` is started by an entry that imports its replica builder by path (the tests' poolWorker.ts)
// or by an entry that bundles its builder (train/replicaWorker.ts).
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { threadCpuMs } from '../threadCpu';
import { initWasmBackend } from '../wasm';
import type { FromWorker, Replica, ReplicaBuilder, ToWorker } from './protocol';

let port: NonNullable<typeof parentPort>;
let builtinBuilder: ReplicaBuilder | undefined;

let index = 0;
let replica: Replica;
let weights: Float32Array;
let grads: Float32Array;
let offsets: number[] = [];
let total = 0;
let loadedVersion = -1;

const post = (m: FromWorker) => port.postMessage(m);

async function init(spec: Extract<ToWorker, { type: 'init' }>['spec'], i: number): Promise<void> {
  index = i;
  await initWasmBackend();
  replica = builtinBuilder && (spec.module === '' || spec.module === 'builtin') ? await builtinBuilder(spec.args, i) : await importBuilder(spec, i);
  post({
    type: 'ready',
    shapes: replica.variables.map((v) => v.shape),
    stateShapes: (replica.state ?? []).map((v) => v.shape),
    backend: tf.getBackend(),
  });
}

async function importBuilder(spec: Extract<ToWorker, { type: 'init' }>['spec'], i: number): Promise<Replica> {
  const url = spec.module.startsWith('file:') ? spec.module : isAbsolute(spec.module) ? pathToFileURL(spec.module).href : spec.module;
  const mod = (await import(url)) as Record<string, unknown>;
  const build = mod[spec.exportName ?? 'createReplica'];
  if (typeof build !== 'function') throw new Error(`${spec.module} has no export '${spec.exportName ?? 'createReplica'}'`);
  return (build as ReplicaBuilder)(spec.args, i);
}

function loadWeights(version: number): void {
  if (version === loadedVersion) return;
  replica.variables.forEach((v, i) => {
    const values = weights.slice(offsets[i], offsets[i] + v.size);
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
  });
  loadedVersion = version;
}

function step(m: Extract<ToWorker, { type: 'step' }>): void {
  const cpu0 = threadCpuMs();
  loadWeights(m.version);
  const base = index * total;
  const [lossValue, metricValue] = tf.tidy(() => {
    const x = tf.tensor(m.x.data, m.x.shape);
    const y = tf.tensor(m.y.data, m.y.shape);
    const extras = (m.extras ?? []).map((a) => tf.tensor(a.data, a.shape));
    let metric: tf.Scalar | undefined;
    const { value, grads: g } = tf.variableGrads(() => {
      const r = replica.loss(x, y, ...extras);
      if (r instanceof tf.Tensor) return r;
      if (r.metric) metric = tf.keep(r.metric);
      return r.loss;
    }, replica.variables);
    replica.variables.forEach((v, i) => {
      // Scale to this shard's share of the batch so the pool's sum is the batch mean.
      const scaled = tf.mul(g[v.name], m.scale);
      grads.set(scaled.dataSync() as Float32Array, base + offsets[i]);
    });
    const metricValue = metric ? metric.dataSync()[0] * m.scale : NaN;
    metric?.dispose();
    return [value.dataSync()[0] * m.scale, metricValue];
  });
  post({ type: 'stepDone', id: m.id, loss: lossValue, metric: metricValue, cpuMs: threadCpuMs() - cpu0 });
}

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case 'init':
      return init(m.spec, m.index);
    case 'buffers':
      weights = new Float32Array(m.weights);
      grads = new Float32Array(m.grads);
      offsets = m.offsets;
      total = m.total;
      return;
    case 'exportWeights':
      replica.variables.forEach((v, i) => weights.set(v.dataSync() as Float32Array, offsets[i]));
      loadedVersion = m.version;
      post({ type: 'exported' });
      return;
    case 'step':
      return step(m);
    case 'readState':
      post({ type: 'state', values: (replica.state ?? []).map((v) => Float32Array.from(v.dataSync())) });
      return;
    case 'close':
      port.close();
      return;
  }
}

/** Serves the pool's messages in this worker thread; `builtin` builds replicas whose spec names module 'builtin'. */
export function serveReplicas(builtin?: ReplicaBuilder): void {
  if (parentPort == null) throw new Error('dataParallel/worker must run in a worker thread');
  port = parentPort;
  builtinBuilder = builtin;
  // Messages are handled one at a time, in order.
  let queue = Promise.resolve();
  port.on('message', (m: ToWorker) => {
    queue = queue.then(() => handle(m)).catch((err: unknown) => {
      post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
    });
  });
}
