import { existsSync, promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, parse, resolve } from 'node:path';
import { LabError } from '../../shared/api';
import { displayPath, isInside } from '../util/paths';

/**
 * Which folders the hosts may read datasets from: the user's home folder plus folders the user added (LabService
 * keeps them in state.json). A dataset id that is not a built-in set is a folder path (`folder:<path>`, `~/…`, or a
 * plain path, as loadDataset reads it); it must lie inside a root, lexically and after symlinks are followed.
 *
 * Why the browser host may add roots from the page: the API is only reachable with the access token, which
 * `npm run serve` prints to the user who started it, and the host runs with that user's rights. The roots keep a
 * slip (a typo, a pasted path, a shared dataset id) from reading arbitrary folders and make widening an explicit,
 * visible step; they are not a wall against a token holder. Roots that would expose the whole machine are refused
 * (see checkNewRoot).
 */

/** System folders never added as roots (nor anything below them). */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev', '/etc', '/boot', '/run', '/var/run'];

/**
 * The folder a dataset id names, or null for a name: a built-in set, or a bare word that names nothing (loadDataset
 * answers "unknown dataset" for it; a bare word that is a folder in the working folder is a path like any other).
 */
export async function datasetFolder(id: string): Promise<string | null> {
  const { isBuiltinDataset } = await import('../engine/data/registry');
  if (isBuiltinDataset(id)) return null;
  if (/^[\w-]+$/.test(id) && !existsSync(id)) return null;
  let path = id.startsWith('folder:') ? id.slice('folder:'.length) : id;
  if (path === '~' || path.startsWith('~/')) path = `${homedir()}${path.slice(1)}`;
  return resolve(path);
}

/** Refuses a dataset folder outside every root; built-in sets pass. Checked before anything is read. */
export async function checkDatasetAccess(id: string, roots: readonly string[]): Promise<void> {
  if (id.includes('\0')) throw new LabError('a dataset path cannot contain a NUL byte', 'bad-path');
  const folder = await datasetFolder(id);
  if (folder === null) return;
  const realRoots = await Promise.all(roots.map((r) => fsp.realpath(r).catch(() => resolve(r))));
  const allowed = [...roots.map((r) => resolve(r)), ...realRoots];
  if (!allowed.some((root) => isInside(root, folder))) throw outside(folder, roots);
  // Lexically inside; a symlink on the way may still lead out.
  const real = await fsp.realpath(folder).catch(() => null);
  if (real !== null && !realRoots.some((root) => isInside(root, real))) throw outside(folder, roots);
}

function outside(folder: string, roots: readonly string[]): LabError {
  return new LabError(
    `the dataset folder ${displayPath(folder)} is outside the folders this lab may read (${roots.map((r) => displayPath(r)).join(', ')}); allow its folder first (Train panel: "Allow this folder")`,
    'outside-roots',
  );
}

/** Checks a folder to add as a root: absolute (or `~/…`), an existing directory, not the file-system root, not a system folder, not above the home folder. Answers its real path. */
export async function checkNewRoot(path: string, userHome: string): Promise<string> {
  const trimmed = path.trim();
  if (trimmed.includes('\0')) throw new LabError('a folder path cannot contain a NUL byte', 'bad-path');
  const expanded = trimmed === '~' || trimmed.startsWith('~/') ? `${userHome}${trimmed.slice(1)}` : trimmed.startsWith('folder:') ? trimmed.slice(7) : trimmed;
  if (!isAbsolute(expanded)) throw new LabError(`give the folder as an absolute path (or ~/…), got '${trimmed.slice(0, 200)}'`, 'bad-path');
  let real: string;
  try {
    real = await fsp.realpath(expanded);
  } catch {
    throw new LabError(`no folder ${displayPath(expanded)}`, 'not-found');
  }
  if (!(await fsp.stat(real)).isDirectory()) throw new LabError(`${displayPath(expanded)} is not a folder`, 'not-a-folder');
  if (real === parse(real).root) throw new LabError('the whole file system cannot be a dataset folder; choose the folder that holds your images', 'forbidden');
  if (SYSTEM_FOLDERS.some((f) => isInside(f, real))) throw new LabError(`${real} is a system folder; choose the folder that holds your images`, 'forbidden');
  const realHome = await fsp.realpath(userHome).catch(() => resolve(userHome));
  if (real !== realHome && isInside(real, realHome)) throw new LabError(`${displayPath(expanded)} holds the home folders of the machine; choose the folder that holds your images`, 'forbidden');
  return real;
}
