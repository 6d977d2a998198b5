import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function serve(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'serve', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
}

test('serve rejects a bad --port with one clear line and exit code 2', () => {
  for (const port of ['nope', '70000', '-1']) {
    const r = serve('--port', port);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--port expects a number from 0 to 65535/);
    assert.equal(r.stdout, '');
  }
});

test('serve rejects unknown arguments', () => {
  const r = serve('--host', '0.0.0.0');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unexpected argument '--host'/);
});
