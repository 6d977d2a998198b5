/**
 * The Content-Security-Policy for the renderer, shared by both hosts. Inline styles are allowed
 * because React Flow and Recharts position elements with style attributes; scripts are not.
 * `connect` lists extra sources (the WebSocket in the browser host, the dev server in `electron-vite dev`).
 */
export function rendererCsp(options: { connect?: string[]; devScripts?: boolean } = {}): string {
  const script = options.devScripts ? "'self' 'unsafe-inline'" : "'self'";
  return [
    "default-src 'self'",
    `script-src ${script}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...(options.connect ?? [])].join(' ')}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
