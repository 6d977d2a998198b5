// End-to-end (API only): the real headless host (`serve`) refuses decompression bombs sent to `predict` from
// their header, and stays responsive: a health call during a bomb upload, or during the decode of a large
// (allowed) image, answers within 200 ms, because decoding runs on worker threads.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { compile } from '../../src/main/engine/compile/compile';
import { encodePng } from '../../src/main/engine/data/image/encode';
import { templateById } from '../../src/shared/templates';
import { jpegBomb, pngBomb, solidPng } from '../unit/engine/data/bombs';
import { fakeRun } from '../unit/engine/predict/helpers';
import { startHost, type Host } from './harness';

let host: Host;

before(async () => {
  host = await startHost();
  const graph = templateById('lenet_mnist')!.build();
  await fakeRun(join(host.home, 'runs'), 'r1', graph, { model: compile(graph, { seed: 1 }).model });
});
after(async () => {
  await host?.stop().catch(() => undefined);
});

const headers = () => ({ 'x-netsmith-token': host.token, 'content-type': 'application/json' });

async function call(method: string, arg: unknown): Promise<{ status: number; body: { result?: unknown; error?: { message: string; code: string } } }> {
  const r = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, { method: 'POST', headers: headers(), body: JSON.stringify(arg) });
  return { status: r.status, body: (await r.json()) as never };
}

/** Milliseconds a GET /api/health takes. */
async function health(): Promise<number> {
  const t = performance.now();
  const r = await fetch(`http://127.0.0.1:${host.port}/api/health`, { headers: headers() });
  assert.equal(r.status, 200);
  await r.json();
  return performance.now() - t;
}

const dataUrl = (bytes: Uint8Array) => `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;

/**
 * Health calls every 20 ms while `work` runs (at least one). This machine is shared (load ~10 on 2 cores), so a
 * single call can stall ~100–300 ms for reasons of its own: the tests hold the median to 200 ms and every call
 * to 1 s. Before the fix one call waited 43.9 s.
 */
async function healthDuring<T>(work: Promise<T>): Promise<{ result: T; times: number[] }> {
  let done = false;
  const times: number[] = [];
  const poller = (async () => {
    do {
      times.push(await health());
      await new Promise((r) => setTimeout(r, 20));
    } while (!done);
  })();
  const result = await work.finally(() => (done = true));
  await poller;
  return { result, times };
}

function assertResponsive(t: TestContext, times: number[], what: string): void {
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const worst = sorted[sorted.length - 1];
  t.diagnostic(`health ${what}: ${times.length} calls, median ${median.toFixed(0)} ms, slowest ${worst.toFixed(0)} ms`);
  assert.ok(median < 200, `median health call ${median.toFixed(0)} ms ${what} (${times.length} calls)`);
  assert.ok(worst < 1000, `slowest health call ${worst.toFixed(0)} ms ${what} (${times.length} calls)`);
}

test('a 69-byte PNG bomb sent to predict is refused from its header at once, and a health call answers within 200 ms', async (t) => {
  // Warm up: the first prediction loads the backend, the run's model and its dataset; the first health call opens the connection.
  const warm = await call('predict', { id: 'r1', image: { dataUrl: dataUrl(encodePng(new Uint8Array(28 * 28).fill(90), 28, 28, 1)), name: 'grey.png' } });
  assert.equal(warm.status, 200, JSON.stringify(warm.body));
  await health();

  // Built before the calls: making it takes seconds, and an idle keep-alive connection may close meanwhile.
  const big8000 = dataUrl(solidPng(8000, 8000));
  const times: number[] = [];
  for (let round = 0; round < 5; round++)
    for (const [name, bytes] of [['bomb.png', pngBomb()], ['bomb.jpg', jpegBomb()]] as const) {
      const t0 = performance.now();
      const { result: reply, times: during } = await healthDuring(call('predict', { id: 'r1', image: { dataUrl: dataUrl(bytes), name } }));
      const ms = performance.now() - t0;
      times.push(...during);
      assert.equal(reply.body.error?.code, 'not-image', JSON.stringify(reply.body));
      assert.equal(reply.body.error?.message, `'${name}' cannot be read as an image: image is 20000×20000 (400 megapixels), over the 50-megapixel limit; scale it down first`);
      assert.ok(ms < 1000, `predict answered in ${ms.toFixed(0)} ms`);
    }
  assertResponsive(t, times, 'during bomb uploads');
  // A real 8000×8000 PNG (840 KB) is refused the same way.
  const big = await call('predict', { id: 'r1', image: { dataUrl: big8000, name: 'big.png' } });
  assert.match(big.body.error?.message ?? '', /^'big\.png' cannot be read as an image: image is 8000×8000 \(64 megapixels\), over the 50-megapixel limit/);
});

test('while a large allowed image (20 MP) decodes for predict, health calls answer within 200 ms', async (t) => {
  const bytes = solidPng(5000, 4000, [200, 200, 200]);
  await health(); // a fresh connection, after the seconds spent making the image
  // An unknown Grad-CAM layer is refused after the image is prepared and before the forward pass, so the
  // health calls below overlap the decode only (the forward pass and Grad-CAM still run on the host's thread).
  const { result, times } = await healthDuring(call('predict', { id: 'r1', image: { dataUrl: dataUrl(bytes), name: 'large.png' }, gradcamLayer: 'nope' }));
  assert.equal(result.body.error?.code, 'bad-layer', JSON.stringify(result.body));
  assert.ok(times.length >= 5, `only ${times.length} health calls were made during the decode`);
  assertResponsive(t, times, 'while a 20-megapixel image decodes');
  // And the whole prediction of that image works.
  const full = await call('predict', { id: 'r1', image: { dataUrl: dataUrl(bytes), name: 'large.png' } });
  assert.equal(full.status, 200, JSON.stringify(full.body));
  assert.deepEqual((full.body.result as { source: unknown }).source, { width: 5000, height: 4000, name: 'large.png' });
});
