import { basename } from 'node:path';
import { contentType, rendererFile } from '../host/staticFiles';
import type { CustomSchemeLike } from './types';

/**
 * The built renderer is served as `netsmith://app/…` rather than file://: a file:// page shares its origin with
 * every local file, a privileged standard scheme is an origin of its own, and the handler serves only files whose
 * real path is inside the renderer folder.
 */
export const APP_SCHEME = 'netsmith';
export const APP_HOST = 'app';

/** Registered before the app is ready: a standard, secure scheme (own origin, fetch and modules work). */
export const APP_SCHEME_PRIVILEGES: CustomSchemeLike = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } };

/** The URL the window loads for the renderer's entry file. */
export function appEntryUrl(indexFile: string): string {
  return `${APP_SCHEME}://${APP_HOST}/${encodeURIComponent(basename(indexFile))}`;
}

/** Whether `url` is a page of the app (netsmith://app/…); `netsmith://app` alone is the app's origin. */
export function isAppProtocolUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** The protocol handler: GET/HEAD of files inside `dir` (symlinks followed and checked), with the CSP on HTML. */
export function appProtocolHandler(dir: string, csp: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405 });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (!isAppProtocolUrl(request.url)) return notFound();
    const found = await rendererFile(dir, url.pathname);
    if (!found) return notFound();
    const type = contentType(found.file);
    const headers: Record<string, string> = { 'content-type': type, 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };
    if (type.startsWith('text/html')) headers['content-security-policy'] = csp;
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(found.data), { status: 200, headers });
  };
}

function notFound(): Response {
  return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
