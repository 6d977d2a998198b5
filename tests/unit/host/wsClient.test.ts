import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { LabError, type LabEvent } from '../../../src/shared/api';
import { createWsLab, type ConnectionStatus, type SocketLike } from './rendererTransport';
import { startTestHost } from './serverHelpers';

const socket = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike;
const wsUrl = (port: number, token: string): string => `ws://127.0.0.1:${port}/ws?token=${token}`;

test('the browser client calls LabApi over the WebSocket and rethrows LabError with its code', async () => {
  const host = await startTestHost();
  const lab = createWsLab({ url: wsUrl(host.server.port, host.server.token), createSocket: socket });
  try {
    await lab.whenOpen();
    assert.equal(lab.transport, 'websocket');
    assert.equal((await lab.hostInfo()).version, '1.2.3');
    await lab.writeProject({ path: 'p', text: 'hello' });
    assert.deepEqual(await lab.readProject({ path: 'p' }), { path: 'p.netsmith.json', text: 'hello' });
    assert.equal(await lab.clearAutosave(), null);
    await assert.rejects(lab.listRuns(), (err: unknown) => err instanceof LabError && err.code === 'no-engine');
    await assert.rejects(lab.readProject({ path: '../x' }), (err: unknown) => err instanceof LabError && err.code === 'bad-args');
  } finally {
    lab.close();
    await host.close();
  }
});

test('events reach subscribers; unsubscribe stops them', async () => {
  const host = await startTestHost();
  const lab = createWsLab({ url: wsUrl(host.server.port, host.server.token), createSocket: socket });
  try {
    await lab.whenOpen();
    const seen: LabEvent[] = [];
    const got = new Promise<void>((resolve) => {
      const off = lab.subscribe((e) => {
        seen.push(e);
        off();
        resolve();
      });
    });
    host.service.emit({ type: 'menu', command: 'run.train' });
    await got;
    host.service.emit({ type: 'menu', command: 'run.stop' });
    await lab.hostInfo(); // a round trip: the second event would have arrived by now
    assert.deepEqual(seen, [{ type: 'menu', command: 'run.train' }]);
  } finally {
    lab.close();
    await host.close();
  }
});

test('a wrong token never opens', async () => {
  const host = await startTestHost();
  const lab = createWsLab({ url: wsUrl(host.server.port, 'wrong'), createSocket: socket, backoffMs: { min: 20, max: 50 } });
  try {
    await assert.rejects(lab.whenOpen(300), (err: unknown) => err instanceof LabError && err.code === 'disconnected' && !/wrong/.test(err.message));
  } finally {
    lab.close();
    await host.close();
  }
});

test('reconnects after the host restarts; calls made meanwhile wait for the connection', async () => {
  const first = await startTestHost();
  const { port, token } = first.server;
  const lab = createWsLab({ url: wsUrl(port, token), createSocket: socket, backoffMs: { min: 20, max: 100 } });
  const statuses: ConnectionStatus[] = [];
  lab.onConnection((s) => statuses.push(s));
  let second: Awaited<ReturnType<typeof startTestHost>> | null = null;
  try {
    await lab.whenOpen();
    await first.close();
    await waitFor(() => statuses.includes('reconnecting'));
    const pending = lab.hostInfo(); // queued while disconnected
    second = await startTestHost({ port, token });
    assert.equal((await pending).version, '1.2.3');
    assert.deepEqual(statuses.slice(-2), ['reconnecting', 'open']);
  } finally {
    lab.close();
    await second?.close();
  }
  assert.equal(statuses.at(-1), 'closed');
  await assert.rejects(lab.hostInfo(), (err: unknown) => err instanceof LabError && err.code === 'disconnected');
});

test('a call waiting for a connection fails after the queue timeout', async () => {
  const lab = createWsLab({ url: 'ws://127.0.0.1:9/ws?token=x', createSocket: socket, queueTimeoutMs: 100, backoffMs: { min: 20, max: 50 } });
  try {
    await assert.rejects(lab.listProjects(), (err: unknown) => err instanceof LabError && err.code === 'disconnected' && /listProjects/.test(err.message));
  } finally {
    lab.close();
  }
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
