/**
 * The Content-Security-Policy for the renderer, shared by both hosts. Inline styles are allowed
 * because React Flow and Recharts position elements with style attributes; scripts are not.
 * `connect` lists extra sources (the WebSocket in the browser host, the dev server in `electron-vite dev`).
 */
export function rendererCsp(options: { connect?: string[]; devScripts?: boolean; meta?: boolean } = {}): string {
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
    // Ignored (with a console warning) in a <meta> policy; the header sends it.
    ...(options.meta ? [] : ["frame-ancestors 'none'"]),
  ].join('; ');
}

/**
 * The policy the build writes into index.html's <meta> (electron.vite.config.ts): the header's, less what a meta
 * policy cannot carry, and with the WebSocket of a loopback host on any port (the page cannot know the port when it
 * is built; the header pins it).
 */
export function metaCsp(): string {
  return rendererCsp({ connect: ['ws://127.0.0.1:*', 'ws://localhost:*'], meta: true });
}

/** The <meta> element for index.html. */
export function cspMetaTag(): string {
  return `<meta http-equiv="Content-Security-Policy" content="${metaCsp()}" />`;
}
