// The CLI refuses an option its command does not know (a typo must not silently train with the default), names the
// nearest known one, and lists them all; known options and flags parse as before.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { CliError, parseArgs } from '../../../src/main/host/commands/types';

test('known options and flags parse; an unknown one is refused with the nearest name and the list', () => {
  assert.deepEqual(parseArgs(['lenet', '--epochs', '2', '--json', '--lr=0.1'], ['json'], ['epochs', 'lr']), { positional: ['lenet'], options: { epochs: '2', json: true, lr: '0.1' } });
  assert.throws(
    () => parseArgs(['lenet', '--epoch', '5'], ['json'], ['epochs', 'lr']),
    (e: unknown) => e instanceof CliError && e.exitCode === 2 && e.message === 'unknown option --epoch (did you mean --epochs?); the options here are --json, --epochs, --lr',
  );
  assert.throws(() => parseArgs(['--zzz'], ['json'], []), /unknown option --zzz; the options here are --json$/);
  // Without a list of value options, anything goes (serve checks its own).
  assert.deepEqual(parseArgs(['--anything', 'x']).options, { anything: 'x' });
});

test('npm run cli -- train with a misspelt option exits 2 before anything runs, saying so', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'train', 'lenet', '--dataset', 'mnist', '--epoch', '5'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option --epoch \(did you mean --epochs\?\); the options here are --json, --dataset, /);
  assert.doesNotMatch(r.stderr + r.stdout, /\bat \S+:\d+/, 'no stack trace');
  assert.doesNotMatch(r.stdout, /epoch 1\//, 'nothing trained');
});
