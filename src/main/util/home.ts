import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Netsmith's data folder: `$NETSMITH_HOME`, else `~/Netsmith`. Holds state.json, autosave, window state. */
export function netsmithHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.NETSMITH_HOME ? resolve(env.NETSMITH_HOME) : join(homedir(), 'Netsmith');
}
