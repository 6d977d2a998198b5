import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { z } from 'zod';
import { DataError } from '../../../src/main/engine/data/errors';
import { ExportError } from '../../../src/main/engine/export/errors';
import { PredictError } from '../../../src/main/engine/predict/errors';
import { LabService } from '../../../src/main/service/labService';
import { RunRegistry } from '../../../src/main/service/runs/registry';
import { toLabError } from '../../../src/main/util/errors';
import { callLab } from '../../../src/main/util/labCall';
import { netsmithHome } from '../../../src/main/util/home';
import { LabError } from '../../../src/shared/api';
import { errorKind, EXIT_CODE, HTTP_STATUS } from '../../../src/shared/errors';
import { templateById } from '../../../src/shared/templates';

const errno = (code: string, path?: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: something, open '${path}'`), { code, path, errno: -1, syscall: 'open' });

test('library and Node errors map into the taxonomy with clear messages and no absolute paths', () => {
  const lab = netsmithHome();
  const cases: [unknown, string, number, RegExp][] = [
    [new DataError('not-found', 'Dataset folder not found: /srv/photos/pets', '/srv/photos/pets'), 'not-found', 404, /Dataset folder not found: …\/photos\/pets$/],
    [new DataError('too-few-classes', 'only one class folder in /srv/x/y'), 'too-few-classes', 400, /only one class folder/],
    [new DataError('bad-cache', 'the cache is broken'), 'bad-cache', 503, /cache/],
    [errno('ENOSPC', join(lab, 'runs', 'r1', 'run.json')), 'disk-full', 507, /^the disk is full \((~\/Netsmith\/)?runs\/r1\/run\.json\)$/],
    [errno('ENAMETOOLONG', `/srv/${'n'.repeat(300)}`), 'name-too-long', 400, /^a file name is too long/],
    [errno('EACCES', '/srv/data/locked'), 'permission-denied', 403, /^permission denied \(…\/data\/locked\)$/],
    [errno('ENOENT', '/srv/data/gone'), 'not-found', 404, /no such file/],
    [new PredictError('not an image', 'not-image'), 'not-image', 400, /not an image/],
    [new ExportError('conv3d cannot be exported'), 'export-failed', 422, /conv3d/],
    [new LabError('run x is not running', 'not-running'), 'not-running', 409, /not running/],
    [new TypeError('Cannot read properties of undefined'), 'internal', 500, /Cannot read/],
  ];
  for (const [err, code, status, message] of cases) {
    const e = toLabError(err);
    assert.equal(e.code, code, String(err));
    assert.equal(HTTP_STATUS[errorKind(e.code)], status, code);
    assert.match(e.message, message);
    assert.ok(!/(^|[\s(])\/srv\//.test(e.message), e.message);
  }
});

test('a ZodError becomes bad-args with one line per field, not a dump', () => {
  const schema = z.object({ lr: z.number(), optimizer: z.object({ name: z.enum(['adam', 'sgd']) }) });
  const r = schema.safeParse({ lr: 'fast', optimizer: { name: 'x' } });
  assert.ok(!r.success);
  const e = toLabError(r.error);
  assert.equal(e.code, 'bad-args');
  assert.match(e.message, /^invalid input: field lr: expected number, received string; field optimizer\.name: /);
  assert.ok(!e.message.includes('"code"') && !e.message.includes('\n'), e.message);
});

test('augmentPreview takes a negative seed', { timeout: 120_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-seed-'));
  const lab = new LabService({ kind: 'browser', home, runs: new RunRegistry(join(home, 'runs')) });
  for (const seed of [-1, -997, -2147483648]) {
    const reply = (await callLab(lab, 'augmentPreview', { id: 'shapes', seed, count: 2, variants: 1, augment: { flip: { p: 1 } } })) as { result?: { items: { index: number; augmented: string[] }[] }; error?: unknown };
    assert.ok(reply.result, JSON.stringify(reply));
    for (const item of reply.result.items) {
      assert.ok(item.index >= 0, `index ${item.index}`);
      assert.match(item.augmented[0], /^data:image\/png;base64,/);
    }
  }
  await lab.dispose();
});

function cli(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', ...args], { encoding: 'utf8', env: { ...process.env, NETSMITH_HOME: mkdtempSync(join(tmpdir(), 'netsmith-cli-')) }, timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

test('train --config with bad JSON, null, a bad optimizer or a missing file: one clear line and an exit code, no stack', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-config-'));
  const files: Record<string, string> = { 'bad.json': '{"epochs": ', 'null.json': 'null', 'opt.json': '{"optimizer": 3}' };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const cases: [string, number, RegExp][] = [
    [join(dir, 'bad.json'), 2, /--config: '.*bad\.json' is not valid JSON/],
    [join(dir, 'null.json'), 2, /must hold a JSON object of training settings, got null/],
    [join(dir, 'opt.json'), 2, /'optimizer' .* must be an object/],
    [join(dir, 'missing.json'), 3, /--config: no file/],
    [dir, 2, /--config: '.*' is a folder/],
  ];
  for (const [config, code, message] of cases) {
    const r = cli(['train', 'lenet', '--dataset', 'mnist', '--config', config]);
    assert.equal(r.code, code, r.err);
    assert.match(r.err, message);
    assert.ok(!/\n\s+at /.test(r.err), r.err);
    assert.equal(r.err.trim().split('\n').length, 1, r.err);
  }
  assert.equal(EXIT_CODE.invalid, 2);
  assert.equal(EXIT_CODE['not-found'], 3);
});

test('export --checkpoint "../../../../tmp/x" from the CLI: one clear line, the exit code of its kind, nothing exported', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-cli-export-'));
  const run = join(dir, 'runs', 'r1');
  mkdirSync(join(run, 'checkpoints'), { recursive: true });
  const now = new Date().toISOString();
  const graph = templateById('lenet_mnist')!.build();
  writeFileSync(join(run, 'run.json'), JSON.stringify({ id: 'r1', name: 'r1', createdAt: now, updatedAt: now, state: 'completed', dataset: 'mnist', epoch: 1, epochs: 1, step: 1, fallbackOps: [], checkpoints: {}, config: {}, graph }));
  const out = join(dir, 'out');
  const r = cli(['export', run, '--format', 'onnx', '--out', out, '--checkpoint', '../../../../tmp/x']);
  assert.equal(r.code, EXIT_CODE.invalid, r.err);
  assert.match(r.err, /^error: invalid checkpoint name '\.\.\/\.\.\/\.\.\/\.\.\/tmp\/x'/);
  assert.equal(r.err.trim().split('\n').length, 1, r.err);
  assert.ok(!existsSync(out), 'nothing was written');
});
