/**
 * Electron fuses for a packaged Netsmith: a build step, run on the packaged app's Electron binary (never imported
 * by the app). `npm run fuses -- <path to the packaged binary or .app>`; `--check` only prints the current wire.
 *
 * There is no packager in this repository yet; whoever adds one (electron-builder, Forge) runs this after
 * packaging and before signing (Forge: @electron-forge/plugin-fuses with NETSMITH_FUSES). Flipping the binary in
 * node_modules/electron would break `npm start` (OnlyLoadAppFromAsar), so that one is refused.
 */
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire, type FuseV1Config } from '@electron/fuses';
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const NETSMITH_FUSES: FuseV1Config = {
  version: FuseVersion.V1,
  // The app never runs its binary as plain Node (training uses worker_threads); ELECTRON_RUN_AS_NODE would make it a Node for anyone.
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS and --inspect would let anyone who can start the app inject code into its main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Only the packaged app.asar, checked against the integrity hash the packager embeds (macOS, Windows).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // The renderer is served as netsmith://app/; file:// needs no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** Refuses the development binary (node_modules/electron): its fuses would stop `npm start`. */
export function checkTarget(binary: string): string {
  const path = resolve(binary);
  if (path.split(sep).includes('node_modules')) throw new Error(`refusing to flip the fuses of ${path}: run this on the packaged app's binary, not the one npm start uses`);
  return path;
}

export async function applyFuses(binary: string): Promise<string> {
  const path = checkTarget(binary);
  await flipFuses(path, { ...NETSMITH_FUSES, resetAdHocDarwinSignature: process.platform === 'darwin' });
  return describeWire(path);
}

/** The binary's fuse wire, one `Name: enabled|disabled` per line. */
export async function describeWire(binary: string): Promise<string> {
  const wire = await getCurrentFuseWire(binary);
  return Object.entries(wire)
    .filter(([k]) => k !== 'version')
    .map(([k, v]) => `${FuseV1Options[Number(k)] ?? `fuse ${k}`}: ${v === 49 ? 'enabled' : v === 48 ? 'disabled' : v === 114 ? 'removed' : `inherit (${String(v)})`}`)
    .join('\n');
}

async function main(args: string[]): Promise<void> {
  const check = args.includes('--check');
  const binary = args.find((a) => !a.startsWith('--'));
  if (!binary) {
    console.error('usage: npm run fuses -- <packaged Electron binary or .app> [--check]');
    process.exitCode = 2;
    return;
  }
  try {
    console.log(check ? await describeWire(binary) : await applyFuses(binary));
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main(process.argv.slice(2));
