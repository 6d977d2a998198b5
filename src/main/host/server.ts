import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LabApi, LabEvent } from '../../shared/api';
import { rendererCsp } from '../util/csp';
import { httpStatus, parseWsCall, type LabReply, type WsServerMessage } from '../../shared/protocol';
import { callLab, isLabMethod } from '../util/labCall';
import { createToken, requestToken, tokenMatches } from './auth';
import { serveStatic } from './staticFiles';
import { handleUpload, type UploadOptions } from './upload';

export interface ServerOptions {
  api: LabApi;
  version: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Default: a fresh random token. */
  token?: string;
  /** Largest request body (default 128 MB: LAB_ARGS' 50M-character project text after JSON escaping). */
  maxBodyBytes?: number;
  /** The built renderer (out/renderer); null serves a page explaining that it is missing. */
  staticDir: string | null;
  /** Where POST /api/upload streams files (the lab's data folder); absent: no uploads. */
  uploads?: UploadOptions;
}

export interface RunningServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 128 * 1024 * 1024;
/** After a 413, how much of the rest of a body is read (and dropped) so that the client sees the answer, not a reset. */
const DRAIN_LIMIT_BYTES = 1024 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 10_000;
/** Above this much unsent data a client is slow: drop step telemetry for it rather than queue it. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
const PING_MS = 30_000;

/** The headless host: LabApi over HTTP (`POST /api/<method>`) and WebSocket (`/ws`), plus the static renderer. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? createToken();
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBody });
  let port = 0;
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
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own name as Host.
    if (!allowedHost(req.headers.host, port)) return refuse(req, res, 421, 'this host answers only to 127.0.0.1, localhost or [::1] with its port', 'bad-host');
    // Another site's page (a form post, a fetch) must not drive the API or read the UI, even with a token it guessed.
    if (!sameOrigin(req)) return refuse(req, res, 403, 'requests from other origins are refused', 'bad-origin');
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
    if (name === 'upload' && options.uploads)
      return handleUpload(req, url, options.uploads, (status, value) => sendJson(res, status, value), (status, message, code) => refuse(req, res, status, message, code));
    if (!isLabMethod(name)) return sendError(res, `unknown method '${name}'`, 'unknown-method');
    if (req.method !== 'POST') return sendError(res, `use POST /api/${name}`, 'method-not-allowed');
    const body = await readBody(req, maxBody);
    if (body === 'too-large') return refuse(req, res, 413, `the request body is larger than ${Math.round(maxBody / 1024 / 1024)} MB`, 'too-large');
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
    if (!allowedHost(req.headers.host, port)) return refuseUpgrade(socket, 421, 'Misdirected Request');
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

  port = await listen(server, options.port ?? 0);
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

/** The body as text, or 'too-large' as soon as it (or its Content-Length) passes `max`; the rest is left unread. */
function readBody(req: IncomingMessage, max: number): Promise<string | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        resolve('too-large');
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Answers an error at once and reads (and drops) the unread rest of the body, so that a client still sending
 * receives the answer instead of a connection reset. Past a limit or a time the connection is closed.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string, code: string): void {
  const body = JSON.stringify({ error: { message, code } });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  if (req.complete || req.readableEnded) return;
  let drained = 0;
  const close = (): void => void req.socket.destroy();
  const timer = setTimeout(close, DRAIN_TIMEOUT_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) close();
  });
  req.once('close', () => clearTimeout(timer));
  req.once('end', () => clearTimeout(timer));
  req.resume();
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** The Host header must name this loopback server: 127.0.0.1, localhost or [::1], with its port. */
export function allowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return LOOPBACK_NAMES.some((name) => host.toLowerCase() === `${name}:${port}`);
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

/**
 * Browsers send Origin on WebSocket upgrades and on every POST (and on cross-origin GETs): it must be this very
 * server (http://<the checked Host>). No Origin: a non-browser client (curl, the CLI) or a same-origin navigation.
 */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.host === req.headers.host?.toLowerCase();
  } catch {
    return false;
  }
}

/** The host was checked by allowedHost before any page is served, so it is one of three loopback names and the port. */
function cspFor(req: IncomingMessage): string {
  return rendererCsp({ connect: [`ws://${req.headers.host?.toLowerCase()}`] });
}

function sendMissingRenderer(res: ServerResponse): void {
  const body =
    '<!doctype html><meta charset="utf-8"><title>Netsmith</title>' +
    '<h1>The Netsmith UI is not built</h1><p>out/renderer is missing and building it failed; run <code>npx electron-vite build</code> ' +
    'and restart <code>npm run serve</code>. The API at <code>/api</code> works.</p>';
  res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': rendererCsp() });
  res.end(body);
}
