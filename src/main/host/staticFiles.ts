import { promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { isInside, realInside } from '../util/paths';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The renderer's file for a URL path (both hosts: this server and Electron's netsmith:// protocol): `/` is
 * index.html, paths without an extension fall back to index.html (client routes). Null when there is none, when the
 * path is malformed, or when the file (symlinks followed) is not inside `dir`.
 */
export async function rendererFile(dir: string, urlPath: string): Promise<{ file: string; data: Buffer } | null> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  let file = join(dir, relative);
  if (!isInside(dir, file)) return null;
  let data = await readInside(dir, file);
  if (!data && !extname(relative)) {
    file = join(dir, 'index.html');
    data = await readInside(dir, file);
  }
  return data ? { file, data } : null;
}

/**
 * Serves the built renderer from `dir`. Paths without an extension fall back to index.html (client routes).
 * `headers` are added to HTML responses (the CSP).
 */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL, dir: string, htmlHeaders: Record<string, string>): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
  const found = await rendererFile(dir, url.pathname);
  if (!found) return sendText(res, 404, 'not found');
  const { file, data } = found;
  const type = contentType(file);
  const isHtml = type.startsWith('text/html');
  res.writeHead(200, {
    'content-type': type,
    'content-length': data.length,
    'cache-control': 'no-cache',
    ...(isHtml ? htmlHeaders : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : data);
}

/** The bytes of a regular file whose real path (symlinks followed) is inside `dir`; null for anything else. */
export async function readInside(dir: string, file: string): Promise<Buffer | null> {
  try {
    const real = await realInside(dir, file);
    if (!(await fsp.stat(real)).isFile()) return null;
    return await fsp.readFile(real);
  } catch {
    return null;
  }
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}
