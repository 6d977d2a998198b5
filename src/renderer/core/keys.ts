/**
 * Keyboard shortcuts as strings: `Mod+Shift+Z`, `Delete`, `Shift+1`, `Alt+ArrowUp`. `Mod` is ⌘ on macOS
 * and Ctrl elsewhere. Pure: works on any object shaped like a KeyboardEvent.
 */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface ParsedShortcut {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  key: string; // lower case
}

export function parseShortcut(s: string): ParsedShortcut {
  const parts = s.split('+');
  const key = parts.pop()!;
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  return { mod: mods.has('mod'), shift: mods.has('shift'), alt: mods.has('alt'), key: (key === '' ? '+' : key).toLowerCase() };
}

function eventKey(e: KeyLike): string[] {
  const keys = [e.key.toLowerCase()];
  if (e.code?.startsWith('Digit')) keys.push(e.code.slice(5));
  if (e.code?.startsWith('Key')) keys.push(e.code.slice(3).toLowerCase());
  if (e.code === 'Equal') keys.push('=');
  if (e.code === 'Minus') keys.push('-');
  return keys;
}

export function matches(shortcut: string | ParsedShortcut, e: KeyLike, isMac: boolean): boolean {
  const p = typeof shortcut === 'string' ? parseShortcut(shortcut) : shortcut;
  const mod = isMac ? e.metaKey : e.ctrlKey;
  const otherMod = isMac ? e.ctrlKey : e.metaKey;
  if (p.mod !== mod || otherMod || p.alt !== e.altKey) return false;
  if (p.shift !== e.shiftKey) return false;
  return eventKey(e).includes(p.key);
}

const MAC_SYMBOLS: Record<string, string> = { mod: '⌘', shift: '⇧', alt: '⌥' };
const NAMES: Record<string, string> = { arrowup: '↑', arrowdown: '↓', arrowleft: '←', arrowright: '→', escape: 'Esc', delete: 'Del', backspace: '⌫', enter: '↵' };

export function displayShortcut(s: string, isMac: boolean): string {
  const p = parseShortcut(s);
  const key = NAMES[p.key] ?? (p.key.length === 1 ? p.key.toUpperCase() : p.key[0].toUpperCase() + p.key.slice(1));
  const mods = [p.mod && 'mod', p.shift && 'shift', p.alt && 'alt'].filter(Boolean) as string[];
  if (isMac) return mods.map((m) => MAC_SYMBOLS[m]).join('') + key;
  return [...mods.map((m) => (m === 'mod' ? 'Ctrl' : m[0].toUpperCase() + m.slice(1))), key].join('+');
}

/** Two shortcut strings that match the same key press. */
export function sameShortcut(a: string, b: string): boolean {
  const x = parseShortcut(a);
  const y = parseShortcut(b);
  return x.mod === y.mod && x.shift === y.shift && x.alt === y.alt && x.key === y.key;
}
