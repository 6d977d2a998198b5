import type { Fragment } from './fragment';

/** The personal block library: groups the user saved, kept in localStorage (and the host when available). */
export interface LibraryItem {
  id: string;
  name: string;
  savedAt: string;
  /** Block count and a short summary for the palette. */
  blocks: number;
  fragment: Fragment;
}

export const LIBRARY_KEY = 'netsmith.library.v1';

export function parseLibrary(text: string | null): LibraryItem[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    if (!Array.isArray(v)) return [];
    return v.filter((x): x is LibraryItem => typeof x === 'object' && x !== null && typeof x.id === 'string' && typeof x.name === 'string' && typeof x.fragment === 'object' && Array.isArray(x.fragment?.nodes));
  } catch {
    return [];
  }
}

export function addItem(items: readonly LibraryItem[], name: string, fragment: Fragment, now: Date): LibraryItem[] {
  const base = name.trim() || 'Block';
  const taken = new Set(items.map((i) => i.id));
  let id = `lib-${base.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  for (let n = 2; taken.has(id); n++) id = `lib-${base.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${n}`;
  // Saving again under the same name replaces the older item.
  const rest = items.filter((i) => i.name !== base);
  return [...rest, { id, name: base, savedAt: now.toISOString(), blocks: fragment.nodes.length, fragment }];
}

export const removeItem = (items: readonly LibraryItem[], id: string): LibraryItem[] => items.filter((i) => i.id !== id);
