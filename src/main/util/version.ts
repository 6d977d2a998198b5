import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface AppPackage {
  root: string;
  version: string;
}

/**
 * Finds our package.json by walking up from this module: the same code runs from src/ (tsx) and
 * bundled from out/main/ (electron-vite), at different depths.
 */
function findAppPackage(): AppPackage {
  const start = dirname(fileURLToPath(import.meta.url));
  let dir = start;
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'netsmith') return { root: dir, version: pkg.version ?? '0.0.0' };
    } catch {
      // not here; keep walking up
    }
    dir = dirname(dir);
  }
  return { root: process.cwd(), version: '0.0.0' };
}

const appPackage = findAppPackage();

/** The app version from package.json. */
export const APP_VERSION: string = appPackage.version;

/** The folder holding package.json (the repository root in development). */
export const APP_ROOT: string = appPackage.root;
