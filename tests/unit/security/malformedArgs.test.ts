import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, mock, test } from 'node:test';
import { experimentsFor } from '../../../src/main/experiments/service';
import { sweepsFor } from '../../../src/main/sweeps/service';
import { startServer, type RunningServer } from '../../../src/main/host/server';
import { RunExporter } from '../../../src/main/service/exports';
import { LabService } from '../../../src/main/service/labService';
import { RunRegistry } from '../../../src/main/service/runs/registry';
import { LAB_METHODS, type LabMethod } from '../../../src/shared/api';
import { ERROR_KINDS, errorKind, EXIT_CODE, HTTP_STATUS } from '../../../src/shared/errors';

/**
 * Every LabApi method, through the real HTTP host, with malformed arguments: wrong types, missing and extra fields,
 * null, huge strings, `..` ids, negative and huge numbers. None may answer `internal` (500), print a stack, log an
 * error on the host, or show an absolute path.
 */

/** A well-formed argument per method that names nothing real (so no call starts work). Typed over every method. */
const BASE: Record<LabMethod, unknown> = {
  hostInfo: undefined,
  listProjects: undefined,
  readProject: { path: 'nope' },
  describeWeights: { path: 'nope' },
  importModel: { path: 'nope.onnx' },
  importWeights: { template: 'resnet18', source: { kind: 'path', path: 'nope.pth' } },
  writeProject: { path: 'fuzz/p', text: '{}' },
  recentProjects: undefined,
  writeAutosave: { text: '{}' },
  readAutosave: undefined,
  clearAutosave: undefined,
  listDatasets: undefined,
  addDatasetRoot: { path: '/no/such/folder' },
  startRun: { project: '{}', dataset: 'nope', config: {} },
  controlRun: { id: 'nope', action: 'stop' },
  listRuns: undefined,
  updateRun: { id: 'nope', name: 'n', tags: ['t'] },
  datasetPreview: { id: 'nope', perClass: 2 },
  augmentPreview: { id: 'nope', augment: {}, seed: -3, count: 2, variants: 2 },
  runDetail: { id: 'nope' },
  runSamples: { id: 'nope', indices: [0] },
  predict: { id: 'nope', image: { sampleIndex: 0 } },
  exportRun: { id: 'nope', format: 'onnx', checkpoint: 'best' },
  attentionMaps: { id: 'nope', image: { sampleIndex: 0 } },
  listExperiments: undefined,
  startExperiment: { id: 'nope' },
  stopExperiment: { session: 'nope' },
  runningExperiments: undefined,
  createExperimentProjects: { id: 'nope' },
  saveUserExperiment: { title: 't', runs: [{ runId: 'nope-a' }, { runId: 'nope-b' }] },
  evaluateUserExperiment: { id: 'nope' },
  deleteUserExperiment: { id: 'nope' },
  listExperimentResults: undefined,
  readExperimentResult: { file: 'nope' },
  // sweeps
  listSweeps: undefined,
  readSweep: { id: 'nope' },
  startSweep: { project: '{}', dataset: 'nope', space: { lr: { logUniform: [1e-5, 1] } }, trials: 1 },
  stopSweep: { id: 'nope' },
  resumeSweep: { id: 'nope' },
};

const HUGE = 'x'.repeat(300_000);
const BAD_VALUES: unknown[] = [null, 12, -1, 1e308, 0.5, '', '..', '../../..', '/etc/passwd', '~/../..', 'a\u0000b', HUGE, true, [], [null], {}, { __proto__: { x: 1 } }];

/** The whole-argument variants, then per field: missing, each bad value, and an extra field. */
function variants(base: unknown): { label: string; arg: unknown }[] {
  const out: { label: string; arg: unknown }[] = [
    ...[undefined, null, 0, 'x', HUGE, [], [1, 2], {}, { extra: 1 }, '..'].map((arg) => ({ label: `arg=${JSON.stringify(arg)?.slice(0, 20)}`, arg })),
  ];
  if (base && typeof base === 'object') {
    const record = base as Record<string, unknown>;
    out.push({ label: 'extra field', arg: { ...record, extra: { deep: [1] } } });
    out.push({ label: '__proto__ field', arg: JSON.parse(`{"__proto__": {"polluted": 1}, ${JSON.stringify(record).slice(1)}`) });
    for (const key of Object.keys(record)) {
      const { [key]: _dropped, ...rest } = record;
      out.push({ label: `missing ${key}`, arg: rest });
      for (const v of BAD_VALUES) out.push({ label: `${key}=${JSON.stringify(v)?.slice(0, 20)}`, arg: { ...record, [key]: v } });
      const inner = record[key];
      if (inner && typeof inner === 'object' && !Array.isArray(inner))
        for (const k of Object.keys(inner)) for (const v of [null, -1, '..', HUGE, {}]) out.push({ label: `${key}.${k}=${JSON.stringify(v)?.slice(0, 20)}`, arg: { ...record, [key]: { ...(inner as object), [k]: v } } });
    }
  }
  return out;
}

let server: RunningServer;
let service: LabService;
let home: string;
before(async () => {
  home = mkdtempSync(join(tmpdir(), 'netsmith-malformed-'));
  const runs = new RunRegistry(join(home, 'runs'));
  // The working folder as the user's home: relative dataset names reach the importers instead of the roots check.
  service = new LabService({ kind: 'browser', home, userHome: process.cwd(), runs, experiments: experimentsFor(runs, home), sweeps: sweepsFor(runs, home), exporter: new RunExporter({ runsDir: join(home, 'runs') }) });
  server = await startServer({ api: service, version: 't', staticDir: null });
});
after(async () => {
  await server.close();
  await service.dispose();
});

async function call(method: string, body: string | undefined): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/${method}`, { method: 'POST', headers: { 'x-netsmith-token': server.token, 'content-type': 'application/json' }, body });
  return { status: res.status, text: await res.text() };
}

/** Absolute paths of this machine a reply must not show. */
const secrets = (): string[] => [home, join(homedir(), ''), process.cwd(), tmpdir() + '/'].filter((p) => p.length > 1);

test('the table covers every LabApi method', () => {
  assert.deepEqual(Object.keys(BASE).sort(), [...LAB_METHODS].sort());
});

test('no LabApi method answers internal, a stack or an absolute path for malformed arguments', { timeout: 240_000 }, async () => {
  const logged = mock.method(console, 'error', () => undefined);
  const failures: string[] = [];
  let calls = 0;
  const codes = new Map<string, number>();
  try {
    for (const method of LAB_METHODS) {
      for (const { label, arg } of variants(BASE[method])) {
        const { status, text } = await call(method, arg === undefined ? undefined : JSON.stringify(arg));
        calls++;
        const reply = JSON.parse(text);
        codes.set(`${status} ${reply.error?.code ?? 'ok'}`, (codes.get(`${status} ${reply.error?.code ?? 'ok'}`) ?? 0) + 1);
        const where = `${method} ${label}: ${status} ${text.slice(0, 300)}`;
        if (status >= 500 && status !== 503 && status !== 507) failures.push(where);
        if (reply.error?.code === 'internal') failures.push(where);
        if (reply.error && status !== HTTP_STATUS[errorKind(reply.error.code)]) failures.push(`status mismatch ${where}`);
        if (/\n\s+at |\bat .*\.ts:\d+/.test(text)) failures.push(`stack ${where}`);
        for (const p of secrets()) if (text.includes(p) && !text.includes(`…${p}`)) failures.push(`path ${p} in ${where}`);
      }
    }
  } finally {
    logged.mock.restore();
  }
  assert.ok(calls > 800, `${calls} calls`);
  if (process.env.NETSMITH_SHOW_CODES) console.log(calls, [...codes].sort());
  assert.deepEqual(failures, []);
  assert.equal(logged.mock.callCount(), 0, `the host logged: ${logged.mock.calls.map((c) => String(c.arguments[1] ?? c.arguments[0])).join(' | ')}`);
});

test('bodies that are not JSON, or nested too deep for the parser, are bad-json (400)', async () => {
  for (const body of ['{', 'nope', '[' .repeat(200_000), '{"a":' + '['.repeat(5000)]) {
    const { status, text } = await call('readProject', body);
    assert.equal(status, 400, text.slice(0, 200));
    assert.equal(JSON.parse(text).error.code, 'bad-json');
  }
});

test('every kind has an HTTP status and a CLI exit code', () => {
  for (const kind of ERROR_KINDS) {
    assert.ok(HTTP_STATUS[kind] >= 400 && HTTP_STATUS[kind] < 600, kind);
    assert.ok(Number.isInteger(EXIT_CODE[kind]) && EXIT_CODE[kind] > 0, kind);
  }
  assert.equal(HTTP_STATUS.internal, 500);
  assert.equal(HTTP_STATUS['disk-full'], 507);
});

test('a project name too long for the file system is a 400 name-too-long, not a 500', async () => {
  const { status, text } = await call('writeProject', JSON.stringify({ path: `deep/${'n'.repeat(400)}`, text: '{}' }));
  assert.equal(status, 400, text);
  const reply = JSON.parse(text);
  assert.equal(reply.error.code, 'name-too-long');
  assert.match(reply.error.message, /^a file name is too long \(.*deep\/\.?n+…n+/);
  assert.ok(reply.error.message.length < 200, reply.error.message);
  assert.ok(!text.includes(home), text);
});
