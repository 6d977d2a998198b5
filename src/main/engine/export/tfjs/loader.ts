import { ExportError } from '../errors';

/** The source of the loader module's entry: registers every Netsmith layer, adds a Node-friendly loader. */
const ENTRY = `
import * as tf from '@tensorflow/tfjs';
import './src/main/engine/blocks/index.ts';

/**
 * Loads the exported model from the text of model.json and the bytes of its weight files (Node without
 * tfjs-node: no file:// handler). In a browser, importing this module is enough: tf.loadLayersModel('model.json').
 */
export function loadFromFiles(modelJsonText, weightFiles) {
  const json = JSON.parse(modelJsonText);
  const files = Array.isArray(weightFiles) ? weightFiles : [weightFiles];
  const total = files.reduce((n, f) => n + f.byteLength, 0);
  const all = new Uint8Array(total);
  let offset = 0;
  for (const f of files) { all.set(new Uint8Array(f.buffer ?? f, f.byteOffset ?? 0, f.byteLength), offset); offset += f.byteLength; }
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: all.buffer }));
}
`;

/**
 * zod builds the block catalog's parameter schemas at import time; the loader never validates parameters, so an
 * inert stand-in keeps ~500 kB of zod out of the module.
 */
const ZOD_STUB =
  "const p = new Proxy(function () {}, { get: (_t, k) => (k === Symbol.toPrimitive ? () => '' : p), apply: () => p, construct: () => p }); export const z = p; export default p;";

let cached: string | undefined;

/**
 * Bundles the custom layer classes (src/main/engine/blocks) into one ES module, `@tensorflow/tfjs` left as an
 * import, so the exported model loads with tf.loadLayersModel anywhere. Needs esbuild (a dev dependency).
 */
export async function loaderModule(): Promise<string> {
  if (cached) return cached;
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new ExportError('the TF.js export needs esbuild to bundle its layer loader (run from a development install: npm install)');
  }
  const root = new URL('../../../../../', import.meta.url).pathname;
  const result = await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'js', sourcefile: 'netsmith-layers.js' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    external: ['@tensorflow/tfjs'],
    write: false,
    minifySyntax: true,
    minifyWhitespace: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'stub-zod',
        setup(b) {
          b.onResolve({ filter: /^zod(\/.*)?$/ }, () => ({ path: 'zod', namespace: 'netsmith-stub' }));
          b.onLoad({ filter: /.*/, namespace: 'netsmith-stub' }, () => ({ contents: ZOD_STUB, loader: 'js' }));
        },
      },
    ],
  });
  cached = `// Netsmith custom layers for TensorFlow.js (generated). Import it before tf.loadLayersModel.\n${result.outputFiles[0].text}`;
  return cached;
}
