import * as tf from '@tensorflow/tfjs';
import { initWasmBackend } from './src/main/engine/backend/wasm';
import { compile } from './src/main/engine/compile/compile';
import { templateById } from './src/shared/templates';
await initWasmBackend();
for (const id of process.argv.slice(2)) {
  const g = templateById(id)!.build();
  const { model } = compile(g, { seed: 1 });
  const opt = tf.train.adam(1e-3);
  const B = 64;
  const x = tf.randomNormal([B, ...g.meta.input.shape]);
  const y = tf.oneHot(tf.randomUniform([B], 0, 10, 'int32'), 10);
  const step = () => tf.tidy(() => { opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar); });
  step(); step();
  const t0 = performance.now(); const n = 4;
  for (let i = 0; i < n; i++) step();
  await tf.ready(); (model.getWeights()[0]).dataSync();
  const dt = (performance.now() - t0) / n;
  console.log(id, `${dt.toFixed(0)} ms/step`, `${(B / dt * 1000).toFixed(0)} samples/s`, 'tensors', tf.memory().numTensors);
  model.dispose();
}
