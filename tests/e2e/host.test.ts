import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, startHost, type Host } from './harness';

let host: Host;
before(async () => {
  host = await startHost();
});
after(async () => {
  await host?.stop();
});

test('serve prints one 127.0.0.1 URL with a token', () => {
  const url = new URL(host.url);
  assert.equal(url.hostname, '127.0.0.1');
  assert.ok(host.port > 0);
  assert.ok(host.token.length >= 32);
});

test('requests without the token are refused', async () => {
  const base = `http://127.0.0.1:${host.port}`;
  assert.equal((await fetch(`${base}/api/health`)).status, 401);
  assert.equal((await fetch(`${base}/api/listProjects`, { method: 'POST' })).status, 401);
  const health = await fetch(`${base}/api/health`, { headers: { 'x-netsmith-token': host.token } });
  assert.equal(health.status, 200);
  assert.equal(((await health.json()) as { ok: boolean }).ok, true);
});

test('the page loads with the token, without CSP violations or page errors', async () => {
  const session = await openBrowser('about:blank');
  try {
    const { page } = session;
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(host.url, { waitUntil: 'load' });
    assert.match(await page.title(), /Netsmith/);
    await page.waitForTimeout(500); // let connectLab() finish
    assert.deepEqual(problems, []);
  } finally {
    await session.close();
  }
});

test('without the token the page still loads and explains what is missing', async () => {
  const session = await openBrowser(`http://127.0.0.1:${host.port}/`);
  try {
    await session.page.getByText(/access token/).first().waitFor({ timeout: 10_000 });
  } finally {
    await session.close();
  }
});

test('from the page, the API and the WebSocket work with the token only', async () => {
  const session = await openBrowser(host.url);
  try {
    const { page } = session;
    assert.equal(await page.locator('#root').count(), 1);
    // The page's own origin and CSP: the API and the WebSocket must be reachable from it, with the token only.
    const result = await page.evaluate(async ({ token, origin }: { token: string; origin: string }) => {
      const unauthorised = (await fetch('/api/health')).status;
      const info = await (await fetch('/api/hostInfo', { method: 'POST', headers: { 'x-netsmith-token': token } })).json();
      const ws = new WebSocket(`ws://${origin}/ws?token=${token}`);
      const viaWs = await new Promise<unknown>((resolve, reject) => {
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'listProjects' }));
        ws.onmessage = (e) => resolve(JSON.parse(String(e.data)));
        ws.onerror = () => reject(new Error('WebSocket failed'));
      });
      ws.close();
      const refused = await new Promise<boolean>((resolve) => {
        const bad = new WebSocket(`ws://${origin}/ws`);
        bad.onopen = () => resolve(false);
        bad.onerror = () => resolve(true);
      });
      return { unauthorised, info, viaWs, refused };
    }, { token: host.token, origin: `127.0.0.1:${host.port}` });
    assert.equal(result.unauthorised, 401);
    assert.equal((result.info as { result: { kind: string } }).result.kind, 'browser');
    assert.deepEqual(result.viaWs, { id: 1, result: [] });
    assert.equal(result.refused, true);
  } finally {
    await session.close();
  }
});
