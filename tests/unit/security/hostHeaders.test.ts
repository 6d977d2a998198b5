import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { WebSocket } from 'ws';
import { startServer, type RunningServer } from '../../../src/main/host/server';
import { startTestHost, type TestHost } from '../host/serverHelpers';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so that Host and Origin can be anything (fetch forbids setting Host). */
function raw(port: number, path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, setHost: !('host' in headers) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function wsStatus(port: number, headers: Record<string, string>, token: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

describe('Host header (DNS rebinding)', () => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost();
  });
  after(() => host.close());

  test('only 127.0.0.1, localhost and [::1] with the port are answered; others get 421 and are not echoed', async () => {
    const port = host.server.port;
    for (const name of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      const r = await raw(port, '/', { host: name });
      assert.equal(r.status, 200, name);
      assert.match(String(r.headers['content-security-policy']), new RegExp(`connect-src 'self' ws://${name.toLowerCase().replace(/[[\].]/g, '\\$&')}`));
    }
    for (const name of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${port + 1}`, '127.0.0.1', `127.0.0.1.evil.example:${port}`, `localhost:${port}@evil`, '']) {
      const page = await raw(port, '/', { host: name });
      assert.equal(page.status, 421, name);
      assert.equal(page.headers['content-security-policy'], undefined, name);
      assert.ok(!page.body.includes('evil'), name);
      const api = await raw(port, '/api/hostInfo', { host: name, 'x-netsmith-token': host.server.token }, 'POST');
      assert.equal(api.status, 421, `api ${name}`);
      assert.equal(JSON.parse(api.body).error.code, 'bad-host');
    }
    assert.equal(await wsStatus(port, { host: `evil.example:${port}` }, host.server.token), 421);
    assert.equal(await wsStatus(port, {}, host.server.token), 101);
  });

  test('Origin is checked on HTTP too: another site cannot post to the API', async () => {
    const port = host.server.port;
    const token = { 'x-netsmith-token': host.server.token };
    const ok = await raw(port, '/api/hostInfo', { ...token, origin: `http://127.0.0.1:${port}` }, 'POST');
    assert.equal(ok.status, 200);
    assert.equal((await raw(port, '/api/hostInfo', token, 'POST')).status, 200, 'no Origin: curl, the CLI');
    for (const origin of ['https://evil.example', `http://evil.example:${port}`, 'null', `http://localhost:${port}`, `https://127.0.0.1:${port}`, 'garbage']) {
      const r = await raw(port, '/api/hostInfo', { ...token, origin }, 'POST');
      assert.equal(r.status, 403, origin);
      assert.equal(JSON.parse(r.body).error.code, 'bad-origin');
      assert.equal((await raw(port, '/', { origin })).status, 403, `page ${origin}`);
    }
    assert.equal(await wsStatus(port, { origin: 'https://evil.example' }, host.server.token), 403);
  });
});

describe('request bodies over the limit', () => {
  let server: RunningServer;
  const limit = 1024 * 1024;
  before(async () => {
    const { LabService } = await import('../../../src/main/service/labService');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const service = new LabService({ kind: 'browser', home: mkdtempSync(join(tmpdir(), 'netsmith-413-')) });
    server = await startServer({ api: service, version: 't', staticDir: null, maxBodyBytes: limit });
  });
  after(() => server.close());

  test('get 413 with a message, not a connection reset (with and without Content-Length)', async () => {
    const body = JSON.stringify({ text: 'x'.repeat(limit * 5) });
    const res = await fetch(`http://127.0.0.1:${server.port}/api/writeAutosave`, { method: 'POST', headers: { 'x-netsmith-token': server.token }, body });
    assert.equal(res.status, 413);
    const reply = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(reply.error.code, 'too-large');
    assert.match(reply.error.message, /larger than 1 MB/);

    // Chunked (no Content-Length): the limit is found while reading.
    const chunked = await new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/writeAutosave', method: 'POST', headers: { 'x-netsmith-token': server.token, 'transfer-encoding': 'chunked' } }, (r) => {
        let text = '';
        r.on('data', (c: Buffer) => (text += c.toString()));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, body: text }));
      });
      req.on('error', reject);
      const piece = 'y'.repeat(64 * 1024);
      for (let i = 0; i < 40; i++) req.write(piece);
      req.end();
    });
    assert.equal(chunked.status, 413);
    assert.equal(JSON.parse(chunked.body).error.code, 'too-large');

    // The host still answers afterwards.
    const health = await fetch(`http://127.0.0.1:${server.port}/api/health`, { headers: { 'x-netsmith-token': server.token } });
    assert.equal(health.status, 200);
  });

  test('a client that claims a huge Content-Length and stops sending gets its 413 at once', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(`POST /api/writeAutosave HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nx-netsmith-token: ${server.token}\r\nContent-Length: ${200 * 1024 * 1024}\r\n\r\n{"text":"`);
      });
      let text = '';
      socket.on('data', (c) => {
        text += c.toString();
        if (text.includes('too-large')) {
          socket.destroy();
          resolve(text);
        }
      });
      socket.on('error', reject);
      setTimeout(() => reject(new Error(`no answer: ${text}`)), 5000).unref();
    });
    assert.match(answer, /^HTTP\/1\.1 413/);
  });
});
