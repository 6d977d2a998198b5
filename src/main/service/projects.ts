import { promises as fsp, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { LabError, type ProjectEntry } from '../../shared/api';
import { atomicWrite } from '../util/atomicWrite';
import { checkWritable, realInside, realRoot, resolveInside } from '../util/paths';

export const PROJECT_EXT = '.netsmith.json';
const MAX_PROJECT_BYTES = 50_000_000;
const MAX_DEPTH = 8;

/**
 * The projects folder: `.netsmith.json` files addressed by paths relative to it. Paths without the
 * extension get it appended; anything resolving outside the folder (including through a symlink) is refused.
 */
export class ProjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async list(): Promise<ProjectEntry[]> {
    await fsp.mkdir(this.root, { recursive: true });
    const entries: ProjectEntry[] = [];
    await this.walk(this.root, 0, entries);
    return entries.sort((a, b) => a.path.localeCompare(b.path));
  }

  async read(userPath: string): Promise<{ path: string; text: string }> {
    const { abs, rel } = this.resolve(userPath);
    const real = await this.realInside(abs, rel);
    const stat = await fsp.stat(real);
    if (!stat.isFile()) throw new LabError(`'${rel}' is not a file`, 'bad-path');
    if (stat.size > MAX_PROJECT_BYTES) throw new LabError(`'${rel}' is larger than ${MAX_PROJECT_BYTES} bytes`, 'too-large');
    return { path: rel, text: await fsp.readFile(real, 'utf8') };
  }

  async write(userPath: string, text: string): Promise<ProjectEntry> {
    const { abs, rel } = this.resolve(userPath);
    // A folder on the way may be a symlink pointing elsewhere: check where the file really lands before creating anything.
    await checkWritable(this.root, abs, `path '${rel}'`);
    await fsp.mkdir(dirname(abs), { recursive: true });
    const realDir = await realInside(this.root, dirname(abs), `path '${rel}'`);
    await atomicWrite(join(realDir, basename(abs)), text);
    return toEntry(rel, await fsp.stat(abs));
  }

  /** Whether the project exists (used to prune the recent list). */
  async exists(userPath: string): Promise<boolean> {
    try {
      const { abs } = this.resolve(userPath);
      return (await fsp.stat(abs)).isFile();
    } catch {
      return false;
    }
  }

  /** Normalises a user path: forward slashes, the project extension, inside the folder. */
  resolve(userPath: string): { abs: string; rel: string } {
    resolveInside(this.root, userPath); // the path as given: no '.', '..', absolute or empty path
    const withExt = userPath.trim().endsWith(PROJECT_EXT) ? userPath.trim() : `${userPath.trim()}${PROJECT_EXT}`;
    return resolveInside(this.root, withExt);
  }

  private async realInside(abs: string, rel: string): Promise<string> {
    await realRoot(this.root);
    try {
      return await realInside(this.root, abs, `path '${rel}'`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new LabError(`project '${rel}' not found`, 'not-found');
      throw err;
    }
  }

  private async walk(dir: string, depth: number, out: ProjectEntry[]): Promise<void> {
    if (depth > MAX_DEPTH) return;
    const items = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const item of items) {
      if (item.name.startsWith('.')) continue; // hidden folders and our own temp files
      const abs = join(dir, item.name);
      if (item.isDirectory()) await this.walk(abs, depth + 1, out);
      else if (item.isFile() && item.name.endsWith(PROJECT_EXT)) {
        const stat = await fsp.stat(abs).catch(() => null);
        if (stat) out.push(toEntry(relative(this.root, abs).split(sep).join('/'), stat));
      }
    }
  }
}

function toEntry(rel: string, stat: Stats): ProjectEntry {
  return {
    path: rel,
    name: basename(rel).slice(0, -PROJECT_EXT.length),
    modified: stat.mtime.toISOString(),
    size: stat.size,
  };
}
