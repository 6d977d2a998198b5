import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LabError } from '../../shared/api';
import { isFolderName } from '../../shared/ids';
import { netsmithHome } from './home';

/**
 * The lab's one path-safety helper. Every file the API reaches by a name from a request goes through here:
 * - single names (run ids, checkpoint names) through `childPath` (the FOLDER_NAME rule: no `.`, `..`, separators, NUL);
 * - relative paths (projects) through `resolveInside`;
 * - then `realInside` / `checkWritable` resolve symlinks (fs.realpath) and refuse what lands outside the root,
 *   before anything is created;
 * - messages name paths with `displayPath` (relative to NETSMITH_HOME or `~`), never absolute ones.
 */

function refuse(what: string, why: string): never {
  throw new LabError(`refused ${what}: ${why}`, 'bad-path');
}

/** `root/name` for a single folder name (a run id, a checkpoint); anything else is refused. */
export function childPath(root: string, name: string, what = 'name'): string {
  if (!isFolderName(name)) throw new LabError(`invalid ${what} '${clip(name)}': letters, digits, _ . - only, not . or ..`, 'bad-id');
  return join(root, name);
}

/**
 * A run's checkpoint folder `runDir/checkpoints/<name>`: the name must be a folder name and the folder, when it
 * exists, must really be inside the run (a symlinked checkpoint pointing elsewhere is refused).
 */
export async function checkpointDir(runDir: string, name: string): Promise<string> {
  const dir = childPath(join(runDir, 'checkpoints'), name, 'checkpoint name');
  try {
    return await realInside(runDir, dir, `checkpoint '${name}'`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return dir;
    throw err;
  }
}

/**
 * Resolves a user-supplied relative path inside `root`, refusing anything that could escape it
 * (absolute paths, drive letters, `..` segments, NUL bytes). Returns the absolute path and the
 * normalised relative path with forward slashes.
 */
export function resolveInside(root: string, userPath: string, where = 'the projects folder'): { abs: string; rel: string } {
  const cleaned = userPath.replace(/\\/g, '/').trim();
  const what = `path '${clip(userPath)}'`;
  if (!cleaned) refuse(what, 'empty path');
  if (cleaned.includes('\0')) refuse(what, 'contains a NUL byte');
  if (cleaned.startsWith('/') || /^[a-zA-Z]:/.test(cleaned) || isAbsolute(userPath)) refuse(what, `must be relative to ${where}`);
  if (cleaned.split('/').some((s) => s === '..' || s === '.')) refuse(what, `must stay inside ${where}`);
  const abs = resolve(root, cleaned);
  if (!isInside(root, abs) || abs === resolve(root)) refuse(what, `must stay inside ${where}`);
  return { abs, rel: relative(resolve(root), abs).split(sep).join('/') };
}

/** True when `candidate` is `root` itself or below it (lexically: both are resolved, symlinks are not). */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(resolve(root), resolve(candidate));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The real path of `root` (created when missing, so that a fresh lab works). */
export async function realRoot(root: string, create = true): Promise<string> {
  if (create) await fsp.mkdir(root, { recursive: true });
  return fsp.realpath(root);
}

/**
 * The real path of an existing `abs`, which must lie inside `root` after every symlink is followed.
 * ENOENT passes through (callers say what was not found); an escape is a 'bad-path' LabError.
 */
export async function realInside(root: string, abs: string, what = 'path'): Promise<string> {
  const real = await fsp.realpath(abs);
  const base = await realRoot(root, false);
  if (!isInside(base, real)) refuse(`${what} '${displayPath(abs)}'`, `it leads outside ${displayPath(root)}`);
  return real;
}

/**
 * Before writing `abs` (and creating its folders): the nearest existing ancestor, symlinks followed, must be inside
 * `root`, and so must `abs` itself when it exists. Nothing is created here.
 */
export async function checkWritable(root: string, abs: string, what = 'path'): Promise<void> {
  const base = await realRoot(root);
  let probe = abs;
  for (;;) {
    const real = await fsp.realpath(probe).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return null;
      throw err;
    });
    if (real !== null) {
      if (!isInside(base, real)) refuse(`${what} '${displayPath(abs)}'`, `it leads outside ${displayPath(root)}`);
      return;
    }
    // A dangling symlink: lstat sees it, realpath does not; refuse rather than write through it.
    if (await fsp.lstat(probe).then((s) => s.isSymbolicLink(), () => false)) refuse(`${what} '${displayPath(abs)}'`, 'a dangling symbolic link is in the way');
    const parent = dirname(probe);
    if (parent === probe) return;
    probe = parent;
  }
}

/**
 * How a path is shown to users and in API errors: `~/…` inside the user's home folder, else relative to the lab's
 * data folder (NETSMITH_HOME), else `…/` and its last two parts.
 */
export function displayPath(abs: string, labHome: string = netsmithHome()): string {
  const full = resolve(abs);
  const user = homedir();
  if (isInside(user, full)) return ['~', ...relative(user, full).split(sep).filter(Boolean)].join('/');
  if (isInside(labHome, full)) return relative(labHome, full).split(sep).join('/') || '.';
  const parts = full.split(sep).filter(Boolean);
  return parts.length <= 1 ? full : `…/${parts.slice(-2).join('/')}`;
}

const ABSOLUTE_IN_TEXT = /(^|[\s'"`([=,])((?:\/(?!\/)[^\s'"`()[\],;]+)+|[A-Za-z]:\\[^\s'"`()[\],;]+)/g;

/** Rewrites every absolute path inside a message with `displayPath`, so errors never reveal the machine's layout. */
export function redactPaths(message: string, labHome: string = netsmithHome()): string {
  return message.replace(ABSOLUTE_IN_TEXT, (_m, lead: string, path: string) => {
    const trail = /[.:]$/.exec(path)?.[0] ?? '';
    const bare = trail ? path.slice(0, -1) : path;
    return `${lead}${displayPath(bare, labHome)}${trail}`;
  });
}

function clip(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  const printable = s.replace(/[\u0000-\u001f\u007f]/g, '?');
  return printable.length > 80 ? `${printable.slice(0, 77)}…` : printable;
}
