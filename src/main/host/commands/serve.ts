import { openLab } from '../../service/openLab';
import { netsmithHome } from '../../util/home';
import { APP_ROOT, APP_VERSION } from '../../util/version';
import { ensureRendererBuilt } from '../rendererBuild';
import { startServer } from '../server';
import { CliError, parseArgs, type Command } from './types';

/**
 * `serve [--port P]`: the browser UI and the API on 127.0.0.1. Prints exactly one line on stdout,
 * the URL with its access token; everything else goes to stderr.
 */
export const command: Command = async (argv) => {
  const { positional, options } = parseArgs(argv);
  const unknown = [...positional, ...Object.keys(options).filter((k) => k !== 'port').map((k) => `--${k}`)];
  if (unknown.length > 0) throw new CliError(`serve: unexpected argument '${unknown[0]}' (usage: serve [--port P])`, 2);
  const port = parsePort(options.port);

  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const staticDir = await ensureRendererBuilt(APP_ROOT, log);
  const home = netsmithHome();
  const { service, recovery } = openLab({ kind: 'browser', home });
  const recovered = await recovery;
  if (recovered.summary) log(recovered.summary);
  let server;
  try {
    server = await startServer({ api: service, version: APP_VERSION, port, staticDir, uploads: { home } });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`serve: port ${port} is already in use (use --port 0 for a free one)`);
    throw err;
  }
  process.stdout.write(`${server.url}\n`);

  const running = server;
  let stopping = false;
  // Once: Ctrl+C under `npm start` reaches the host from the terminal and again from start.mjs.
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void Promise.all([running.close(), service.dispose()]).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return undefined;
};

function parsePort(value: string | true | undefined): number {
  if (value === undefined) return 0;
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`serve: --port expects a number from 0 to 65535, got '${value === true ? '' : value}'`, 2);
  return port;
}
