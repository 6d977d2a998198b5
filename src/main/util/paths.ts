import { isAbsolute, relative, resolve, sep } from 'node:path';
import { LabError } from '../../shared/api';

/**
 * Resolves a user-supplied relative path inside `root`, refusing anything that could escape it
 * (absolute paths, drive letters, `..` segments, NUL bytes). Returns the absolute path and the
 * normalised relative path with forward slashes.
 */
export function resolveInside(root: string, userPath: string): { abs: string; rel: string } {
  const cleaned = userPath.replace(/\\/g, '/').trim();
  const refuse = (why: string): never => {
    throw new LabError(`refused path '${userPath}': ${why}`, 'bad-path');
  };
  if (!cleaned) refuse('empty path');
  if (cleaned.includes('\0')) refuse('contains a NUL byte');
  if (cleaned.startsWith('/') || /^[a-zA-Z]:/.test(cleaned) || isAbsolute(userPath)) refuse('must be relative to the projects folder');
  if (cleaned.split('/').includes('..')) refuse('must stay inside the projects folder');
  const abs = resolve(root, cleaned);
  if (!isInside(root, abs) || abs === resolve(root)) refuse('must stay inside the projects folder');
  return { abs, rel: relative(resolve(root), abs).split(sep).join('/') };
}

/** True when `candidate` is `root` itself or below it. Both are resolved first. */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(resolve(root), resolve(candidate));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
