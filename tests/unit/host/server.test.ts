/* eslint-disable @typescript-eslint/no-explicit-any -- JSON replies are inspected loosely */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { startTestHost, type TestHost } from './serverHelpers';
import { tokenMatches } from '../../../src/main/host/auth';

let host: TestHost;
before(async () => {
  host = await startTestHost();
});
after(() => host.close());

const auth = (): Record<string, string> => ({ 'x-netsmith-token': host.server.token });

async function api(method: string, body: unknown, headers: Record<string, string> = auth()): Promise<{ status: number; json: any }> {
  const res = await fetch(`${host.base}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

function openWs(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.server.port}/ws${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket, predicate: (m: any) => boolean = () => true): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const message = JSON.parse(data.toString());
      if (!predicate(message)) return;
      ws.off('message', onMessage);
      resolve(message);
    };
    ws.on('message', onMessage);
  });
}

test('the URL is on 127.0.0.1 and carries the token', () => {
  const url = new URL(host.server.url);
  assert.equal(url.hostname, '127.0.0.1');
  assert.equal(url.searchParams.get('token'), host.server.token);
  assert.ok(host.server.token.length >= 32);
});

test('GET /api/health: 200 with the token (header or query), 401 without or with a wrong one', async () => {
  const ok = await fetch(`${host.base}/api/health`, { headers: auth() });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { ok: true, version: '1.2.3' });
  assert.equal((await fetch(`${host.base}/api/health?token=${host.server.token}`)).status, 200);
  const missing = await fetch(`${host.base}/api/health`);
  assert.equal(missing.status, 401);
  assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'unauthorized');
  assert.equal((await fetch(`${host.base}/api/health?token=wrong`)).status, 401);
});

test('an API call without the token is refused with 401', async () => {
  const r = await api('listProjects', undefined, {});
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'unauthorized');
});

test('an API call with the token answers {result}', async () => {
  const written = await api('writeProject', { path: 'demo', text: '{"x":1}' });
  assert.equal(written.status, 200);
  assert.equal(written.json.result.path, 'demo.netsmith.json');
  const read = await api('readProject', { path: 'demo.netsmith.json' });
  assert.deepEqual(read.json, { result: { path: 'demo.netsmith.json', text: '{"x":1}' } });
  const info = await api('hostInfo', undefined);
  assert.equal(info.json.result.kind, 'browser');
  assert.equal((await api('clearAutosave', null)).json.result, null);
});

test('a bad payload is a 400 with the zod message', async () => {
  const r = await api('readProject', { path: 42 });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'bad-args');
  assert.match(r.json.error.message, /invalid arguments for readProject/);
  assert.match(r.json.error.message, /path/);
  const escape = await api('readProject', { path: '../x' });
  assert.equal(escape.status, 400);
  assert.match(escape.json.error.message, /inside the projects folder/);
  const notJson = await api('readProject', '{oops');
  assert.equal(notJson.status, 400);
  assert.equal(notJson.json.error.code, 'bad-json');
});

test('error statuses: unknown method 404, wrong verb 405, missing file 404, no engine 503', async () => {
  assert.equal((await api('nope', undefined)).status, 404);
  assert.equal((await fetch(`${host.base}/api/listProjects`, { headers: auth() })).status, 405);
  assert.equal((await api('readProject', { path: 'missing' })).status, 404);
  const runs = await api('listRuns', undefined);
  assert.equal(runs.status, 503);
  assert.equal(runs.json.error.code, 'no-engine');
});

test('the WebSocket upgrade is refused without the token and from another origin', async () => {
  await assert.rejects(openWs(''), /HTTP 401/);
  await assert.rejects(openWs('?token=wrong'), /HTTP 401/);
  await assert.rejects(openWs(`?token=${host.server.token}`, { origin: 'http://evil.example' }), /HTTP 403/);
});

test('a WebSocket call works and errors come back as {error}', async () => {
  const ws = await openWs(`?token=${encodeURIComponent(host.server.token)}`);
  try {
    ws.send(JSON.stringify({ id: 1, method: 'hostInfo' }));
    const reply = await nextMessage(ws, (m) => m.id === 1);
    assert.equal(reply.result.version, '1.2.3');
    ws.send(JSON.stringify({ id: 2, method: 'readProject', arg: { path: 7 } }));
    const bad = await nextMessage(ws, (m) => m.id === 2);
    assert.equal(bad.error.code, 'bad-args');
  } finally {
    ws.close();
  }
});

test('LabEvents are delivered over the WebSocket', async () => {
  const ws = await openWs(`?token=${host.server.token}`);
  try {
    const received = nextMessage(ws, (m) => 'event' in m);
    host.service.emit({ type: 'menu', command: 'view.fit' });
    assert.deepEqual(await received, { event: { type: 'menu', command: 'view.fit' } });
  } finally {
    ws.close();
  }
});

test('a malformed WebSocket message closes the socket with 1003', async () => {
  const ws = await openWs(`?token=${host.server.token}`);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.send('not json');
  assert.equal(await closed, 1003);
});

test('static files load without the token, with a CSP; no path traversal', async () => {
  const index = await fetch(`${host.base}/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type') ?? '', /text\/html/);
  assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.equal(index.headers.get('referrer-policy'), 'no-referrer');
  assert.match(await index.text(), /Netsmith test/);
  assert.equal((await fetch(`${host.base}/assets/app.js`)).headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal((await fetch(`${host.base}/some/client/route`)).status, 200, 'client routes fall back to index.html');
  assert.equal((await fetch(`${host.base}/missing.js`)).status, 404);
  const traversal = await rawGet('/../secret.txt');
  assert.equal(traversal.status, 404);
  assert.doesNotMatch(traversal.body, /secret/);
  assert.equal((await rawGet('/%2e%2e/secret.txt')).status, 404);
});

test('token comparison', () => {
  assert.equal(tokenMatches('abc', 'abc'), true);
  assert.equal(tokenMatches('abc', 'abd'), false);
  assert.equal(tokenMatches('abc', 'abcd'), false);
  assert.equal(tokenMatches('abc', ''), false);
  assert.equal(tokenMatches('abc', null), false);
});

/** fetch normalises '..' away; send the raw path. */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
