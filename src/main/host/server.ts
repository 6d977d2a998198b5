import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LabApi, LabEvent } from '../../shared/api';
import { rendererCsp } from '../util/csp';
import { callLab, isLabMethod, type LabReply } from '../util/labCall';
import { createToken, requestToken, tokenMatches } from './auth';
import { httpStatus, parseWsCall, type WsServerMessage } from './protocol';
import { serveStatic } from './staticFiles';

export interface ServerOptions {
  api: LabApi;
  version: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Default: a fresh random token. */
  token?: string;
  /** The built renderer (out/renderer); null serves a page explaining that it is missing. */
  staticDir: string | null;
}

export interface RunningServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** Room for LAB_ARGS' 50M-character project text after JSON escaping. */
const MAX_BODY_BYTES = 128 * 1024 * 1024;
/** Above this much unsent data a client is slow: drop step telemetry for it rather than queue it. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
const PING_MS = 30_000;

/** The headless host: LabApi over HTTP (`POST /api/<method>`) and WebSocket (`/ws`), plus the static renderer. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? createToken();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err: unknown) => {
      console.error('serve: request failed', err);
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'internal error', code: 'internal' } });
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('x-content-type-options', 'nosniff');
    // The token travels in the page URL: never leak it through a Referer header.
    res.setHeader('referrer-policy', 'no-referrer');
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    if (!options.staticDir) return sendMissingRenderer(res);
    return serveStatic(req, res, url, options.staticDir, { 'content-security-policy': cspFor(req) });
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!tokenMatches(token, requestToken(req, url))) return sendError(res, 'missing or wrong access token', 'unauthorized');
    const name = url.pathname.slice('/api/'.length);
    if (name === 'health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 'use GET /api/health', 'method-not-allowed');
      return sendJson(res, 200, { ok: true, version: options.version });
    }
    if (!isLabMethod(name)) return sendError(res, `unknown method '${name}'`, 'unknown-method');
    if (req.method !== 'POST') return sendError(res, `use POST /api/${name}`, 'method-not-allowed');
    const body = await readBody(req);
    if (body === 'too-large') return sendError(res, `request body larger than ${MAX_BODY_BYTES} bytes`, 'too-large');
    let arg: unknown;
    try {
      arg = body.trim() === '' ? undefined : JSON.parse(body);
    } catch (err) {
      return sendError(res, `the body is not valid JSON: ${(err as Error).message}`, 'bad-json');
    }
    const reply = await callLab(options.api, name, arg);
    sendJson(res, 'error' in reply ? httpStatus(reply.error.code) : 200, reply);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws') return refuseUpgrade(socket, 404, 'Not Found');
    if (!tokenMatches(token, requestToken(req, url))) return refuseUpgrade(socket, 401, 'Unauthorized');
    if (!sameOrigin(req)) return refuseUpgrade(socket, 403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  const alive = new WeakSet<WebSocket>();
  function serveSocket(ws: WebSocket): void {
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    const send = (message: WsServerMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const unsubscribe = options.api.subscribe((event: LabEvent) => {
      if (event.type === 'step' && ws.bufferedAmount > SLOW_CLIENT_BYTES) return;
      send({ event });
    });
    ws.on('message', (data, isBinary) => {
      const call = isBinary ? null : parseWsCall(data.toString());
      if (!call) {
        ws.close(1003, 'expected {id, method, arg} as JSON text');
        return;
      }
      void callLab(options.api, call.method, call.arg).then((reply: LabReply) => send({ id: call.id, ...reply }));
    });
    ws.on('close', unsubscribe);
    ws.on('error', () => ws.terminate());
  }

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, PING_MS);
  pinger.unref();

  const port = await listen(server, options.port ?? 0);
  return {
    url: `http://${HOST}:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    close: async () => {
      clearInterval(pinger);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve('too-large');
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: ServerResponse, message: string, code: string): void {
  sendJson(res, httpStatus(code), { error: { message, code } });
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Browsers always send Origin on WebSocket upgrades; a page from another origin must not connect. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function cspFor(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  // Only echo a well-formed host into the header.
  const ws = /^[\w.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(host) ? [`ws://${host}`] : [];
  return rendererCsp({ connect: ws });
}

function sendMissingRenderer(res: ServerResponse): void {
  const body =
    '<!doctype html><meta charset="utf-8"><title>Netsmith</title>' +
    '<h1>The Netsmith UI is not built</h1><p>out/renderer is missing and building it failed; run <code>npx electron-vite build</code> ' +
    'and restart <code>npm run serve</code>. The API at <code>/api</code> works.</p>';
  res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': rendererCsp() });
  res.end(body);
}
