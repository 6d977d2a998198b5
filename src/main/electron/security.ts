import { rendererCsp } from '../util/csp';
import type { ElectronLike, SessionLike, WebContentsLike } from './types';

/** Permissions the renderer may use; everything else (camera, geolocation, notifications…) is denied. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** Adds the CSP header to every response of the session and denies permission requests. */
export function secureSession(session: SessionLike, devServer: string | null): void {
  const csp = rendererCsp(devServer ? { connect: [devServer, devServer.replace(/^http/, 'ws')], devScripts: true } : {});
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
}

/**
 * No navigation away from the app, no new windows, no <webview>. Links to http(s) pages open in
 * the user's browser instead.
 */
export function lockDownContents(contents: WebContentsLike, shell: ElectronLike['shell'], isAppUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
