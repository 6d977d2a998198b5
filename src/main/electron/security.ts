import { rendererCsp } from '../util/csp';
import type { ElectronLike, FrameLike, SessionLike, WebContentsLike } from './types';

/** Permissions the app's own page may use; everything else (camera, geolocation, notifications…) is denied. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/**
 * Adds the CSP header to every response of the session, and answers permission requests and permission checks:
 * only ALLOWED_PERMISSIONS, and only for the app's own page.
 */
export function secureSession(session: SessionLike, devServer: string | null, isAppUrl: (url: string) => boolean): void {
  const csp = rendererCsp(devServer ? { connect: [devServer, devServer.replace(/^http/, 'ws')], devScripts: true } : {});
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  const allowed = (permission: string, url: string | undefined): boolean => ALLOWED_PERMISSIONS.has(permission) && typeof url === 'string' && isAppUrl(url);
  session.setPermissionRequestHandler((_contents, permission, callback, details) => callback(allowed(permission, details?.requestingUrl)));
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => allowed(permission, requestingOrigin));
}

/**
 * An http(s) URL the user's browser may open, normalised; null for anything else: other schemes, unparsable
 * strings, whitespace or control characters anywhere (`https://x/\nfile:///…`), credentials in the URL.
 */
export function safeExternalUrl(raw: string): string | null {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (typeof raw !== 'string' || raw.length > 2048 || /[\u0000-\u0020\u007f-\u009f\u2028\u2029]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || !url.hostname) return null;
  return url.href;
}

/**
 * No navigation or redirect away from the app, no new windows, no <webview>. Links to http(s) pages open in the
 * user's browser instead (after safeExternalUrl).
 */
export function lockDownContents(contents: WebContentsLike, shell: ElectronLike['shell'], isAppUrl: (url: string) => boolean): void {
  const stayInApp = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = safeExternalUrl(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
}

/** IPC is answered only for our windows' main frame showing the app (not an iframe, not a page navigated elsewhere). */
export function isTrustedFrame(frame: FrameLike | null | undefined, isAppUrl: (url: string) => boolean): boolean {
  return !!frame && (frame.parent === null || frame.parent === undefined) && typeof frame.url === 'string' && isAppUrl(frame.url);
}
