// Runs the test suites with node:test + tsx (Node 20 has no glob support in --test).
// Usage: node scripts/test.mjs [unit|e2e] [filter]
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const [suite = 'all', filter = ''] = process.argv.slice(2);
const suites = suite === 'all' ? ['unit', 'e2e'] : [suite];

function collect(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.ts') && path.includes(filter) ? [path] : [];
  });
}

// Unit tests also live beside their code: a block unit's tests are src/blocks/<unit>/<unit>.test.ts.
const roots = { unit: [join('tests', 'unit'), 'src'], e2e: [join('tests', 'e2e')] };

let failed = false;
for (const s of suites) {
  const files = (roots[s] ?? [join('tests', s)]).flatMap(collect).sort();
  if (files.length === 0) continue;
  if (s === 'e2e') {
    const build = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
    if (build.status !== 0) { failed = true; continue; }
  }
  console.log(`\n# ${s}: ${files.length} files`);
  // --test-force-exit: a file whose tests are done (or timed out) exits even if something it started still runs.
  const args = ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', `--test-concurrency=${s === 'e2e' ? 1 : 2}`, ...files];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, NETSMITH_TEST: '1' } });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
