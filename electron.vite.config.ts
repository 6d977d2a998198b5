import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { cspMetaTag } from './src/main/util/csp';

/** Writes the renderer's CSP <meta> from src/main/util/csp.ts into the built index.html (dev relies on the header). */
function cspMeta(): Plugin {
  return { name: 'netsmith-csp-meta', apply: 'build', transformIndexHtml: { order: 'pre', handler: (html) => html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    ${cspMetaTag()}`) } };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The training worker is its own bundle, started with worker_threads next to index.js.
        // replicaWorker: a run's data-parallel helper threads (src/main/engine/train/parallel.ts).
        // decodeWorker: the image-decode pool (src/main/engine/data/image/decodePool.ts).
        // inferenceWorker: Predict, Grad-CAM, feature and attention maps (src/main/engine/predict/inferenceClient.ts).
        input: {
          index: resolve('src/main/electron/main.ts'),
          runWorker: resolve('src/main/engine/worker/runWorker.ts'),
          replicaWorker: resolve('src/main/engine/train/replicaWorker.ts'),
          decodeWorker: resolve('src/main/engine/data/image/decodeWorker.ts'),
          inferenceWorker: resolve('src/main/engine/predict/inferenceWorker.ts'),
        },
        external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'],
      },
    },
  },
  preload: {
    // A sandboxed preload must be one self-contained CommonJS file.
    build: { externalizeDeps: false, rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } } },
  },
  renderer: {
    root: 'src/renderer',
    build: { rollupOptions: { input: { index: resolve('src/renderer/index.html') } } },
    plugins: [react(), cspMeta()],
  },
});
