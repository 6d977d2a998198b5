import { restore, type RestoreResult } from '../../shared/graph/restore';
import type { GraphDoc } from '../../shared/graph/types';

export const PROJECT_FORMAT = 'netsmith.project';
export const PROJECT_EXT = '.netsmith.json';

export function serializeProject(doc: GraphDoc): string {
  return JSON.stringify({ format: PROJECT_FORMAT, graph: doc }, null, 2) + '\n';
}

/** Every load path goes through `restore()`. */
export const parseProject = (text: string): RestoreResult => restore(text);

export function slug(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'untitled';
}

export const fileNameFor = (name: string): string => `${slug(name)}${PROJECT_EXT}`;

/** Normalises a user-typed project path: adds the extension, strips leading slashes. */
export function normalizeProjectPath(p: string): string {
  let s = p.trim().replace(/\\/g, '/').replace(/^\/+/, '');
  if (!s) return '';
  if (!s.endsWith(PROJECT_EXT)) s = s.replace(/\.json$/, '') + PROJECT_EXT;
  return s;
}

export const baseName = (p: string): string => p.split('/').pop()!.replace(PROJECT_EXT, '');

/** Autosave payload: the project plus where it came from. */
export function serializeAutosave(doc: GraphDoc, path: string | null): string {
  return JSON.stringify({ format: PROJECT_FORMAT, graph: doc, autosave: { path } });
}

/** The autosaved graph's name, its block count and the project file it belongs to, as the recovery offer names them. */
export function autosaveSummary(text: string): { name?: string; blocks?: number; path: string | null } {
  try {
    const graph = (JSON.parse(text) as { graph?: { meta?: { name?: unknown }; nodes?: unknown } }).graph;
    const name = typeof graph?.meta?.name === 'string' ? graph.meta.name : undefined;
    const blocks = Array.isArray(graph?.nodes) ? graph.nodes.length : undefined;
    return { name, blocks, path: autosavePath(text) };
  } catch {
    return { path: null };
  }
}

export function autosavePath(text: string): string | null {
  try {
    const p = (JSON.parse(text) as { autosave?: { path?: unknown } }).autosave?.path;
    return typeof p === 'string' ? p : null;
  } catch {
    return null;
  }
}
