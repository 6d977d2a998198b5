import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { applyFuses, checkTarget } from '../../../src/main/electron/fuses';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** A stand-in for a packaged Electron binary: bytes around the fuse wire as Electron 45 ships it (version 1, 9 fuses). */
function fakeBinary(dir: string): string {
  const file = join(dir, 'netsmith');
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 9]), Buffer.from('101001011')]);
  writeFileSync(file, Buffer.concat([Buffer.alloc(5000, 7), wire, Buffer.alloc(3000, 9)]));
  return file;
}

test('the fuses step flips the packaged binary: no run-as-node, no NODE_OPTIONS or --inspect, asar only, cookie encryption', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-fuses-'));
  const binary = fakeBinary(dir);
  const report = await applyFuses(binary);
  assert.match(report, /RunAsNode: disabled/);
  assert.match(report, /EnableCookieEncryption: enabled/);
  assert.match(report, /EnableNodeOptionsEnvironmentVariable: disabled/);
  assert.match(report, /EnableNodeCliInspectArguments: disabled/);
  assert.match(report, /EnableEmbeddedAsarIntegrityValidation: enabled/);
  assert.match(report, /OnlyLoadAppFromAsar: enabled/);
  assert.match(report, /GrantFileProtocolExtraPrivileges: disabled/);
  const bytes = readFileSync(binary);
  const at = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
  assert.equal(bytes.subarray(at, at + 9).toString('latin1'), '010011001', 'untouched fuses keep their value (v8 snapshot 0, wasm trap handlers 1)');
  assert.equal(bytes.length, 5000 + 32 + 2 + 9 + 3000);
});

test('the development binary in node_modules is refused', () => {
  assert.throws(() => checkTarget('node_modules/electron/dist/electron'), /refusing to flip/);
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-fuses-cli-'));
  mkdirSync(join(dir, 'node_modules'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/electron/fuses.ts', join(dir, 'node_modules', 'x')], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^error: refusing to flip/);
});
