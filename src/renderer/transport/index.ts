import { LabError } from '../../shared/api';
import type { LabClient } from './client';
import { createIpcLab } from './ipcClient';
import { createUploader } from './upload';
import { createWsLab } from './wsClient';

export type { LabClient } from './client';
export type { ConnectionStatus } from '../../shared/protocol';
export { toLabError } from './errors';

let connecting: Promise<LabClient> | null = null;

/**
 * The renderer's one way to the host: `window.lab` under Electron, otherwise a WebSocket to the
 * headless host authenticated with the `token` query parameter of the page URL. Both behave the same:
 * failures reject with LabError, events arrive through `subscribe`. Cached: every caller shares one connection.
 */
export function connectLab(): Promise<LabClient> {
  connecting ??= open().catch((err: unknown) => {
    connecting = null;
    throw err;
  });
  return connecting;
}

async function open(): Promise<LabClient> {
  if (window.lab) return createIpcLab(window.lab);
  const page = new URL(window.location.href);
  const token = page.searchParams.get('token');
  if (!token) {
    throw new LabError('This page needs its access token: open the full URL that `npm run serve` printed (it ends with ?token=…).', 'no-token');
  }
  await checkToken(page.origin, token);
  const scheme = page.protocol === 'https:' ? 'wss' : 'ws';
  const lab = createWsLab({
    url: `${scheme}://${page.host}/ws?token=${encodeURIComponent(token)}`,
    createSocket: (url) => new WebSocket(url),
  });
  await lab.whenOpen();
  return Object.assign(lab, { uploadFile: createUploader(page.origin, token) });
}

/** A WebSocket refusal carries no status code, so ask /api/health first to explain a bad token. */
async function checkToken(origin: string, token: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${origin}/api/health`, { headers: { 'x-netsmith-token': token }, cache: 'no-store' });
  } catch {
    throw new LabError(`cannot reach the Netsmith host at ${origin}; is \`npm run serve\` still running?`, 'disconnected');
  }
  if (response.status === 401) {
    throw new LabError('The access token in this URL is not valid (the host prints a new one each time it starts): open the URL it printed.', 'unauthorized');
  }
  if (!response.ok) throw new LabError(`the Netsmith host answered ${response.status} to a health check`, 'disconnected');
}

/** For hot reload: forget the cached connection so the next connectLab() opens a new one. */
export function resetLabConnection(): void {
  connecting = null;
}
