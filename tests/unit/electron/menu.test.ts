// The native menu against the renderer's actions: every item sends a real action, with that action's label,
// and shows the shortcut the renderer's keyboard handler actually answers to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMenuTemplate, type MenuCommand } from '../../../src/main/electron/menu';
import type { MenuItemSpec } from '../../../src/main/electron/types';
import { ACTIONS } from '../../../src/renderer/actions';
import type { Action } from '../../../src/renderer/actions/types';
import { matches, type KeyLike } from '../../../src/renderer/core/keys';
import { ACTION_CATALOGUE, isActionId, menuLabel, toElectronAccelerator, type ActionId } from '../../../src/shared/actionCatalogue';

/** A menu action item: its label, shortcut and the command its click sends. */
interface MenuAction {
  label?: string;
  accelerator?: string;
  command: MenuCommand;
}

function menuActions(platform: NodeJS.Platform, disabled?: ReadonlySet<ActionId>): (MenuAction & { enabled?: boolean })[] {
  let sent: MenuCommand | null = null;
  const template = buildMenuTemplate({ platform, recent: ['a.netsmith.json'], devTools: true, disabled, send: (c) => void (sent = c) });
  const flat = (items: MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
  return flat(template)
    .filter((i) => i.click)
    .map((i) => {
      sent = null;
      i.click!();
      assert.ok(sent, `${i.label} sends a command`);
      return { label: i.label, accelerator: i.accelerator, enabled: i.enabled, command: sent };
    });
}

/** The key press an Electron accelerator stands for (what the user types after reading the menu). */
function pressFor(accelerator: string, isMac: boolean): KeyLike {
  const parts = accelerator.split('+');
  const named: Record<string, string> = { Up: 'ArrowUp', Down: 'ArrowDown', Left: 'ArrowLeft', Right: 'ArrowRight', Esc: 'Escape', Return: 'Enter' };
  const last = parts.pop() || '+';
  const key = named[last] ?? last;
  const mods = new Set(parts);
  const cmdOrCtrl = mods.has('CmdOrCtrl') || mods.has('CommandOrControl');
  const shift = mods.has('Shift');
  return {
    key: key.length === 1 ? (shift ? key.toUpperCase() : key.toLowerCase()) : key,
    code: /^[0-9]$/.test(key) ? `Digit${key}` : /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : undefined,
    ctrlKey: (cmdOrCtrl && !isMac) || mods.has('Ctrl') || mods.has('Control'),
    metaKey: (cmdOrCtrl && isMac) || mods.has('Cmd') || mods.has('Command'),
    shiftKey: shift,
    altKey: mods.has('Alt') || mods.has('Option'),
  };
}

/** What is wrong with one menu item, judged against the registered actions (empty: it is right). */
function drift(item: MenuAction, actions: ReadonlyMap<string, Action<never>>, isMac: boolean): string[] {
  if (item.command === 'file.openRecent') return [];
  const action = actions.get(item.command);
  if (!isActionId(item.command) || !action) return [`'${item.label}' sends '${item.command}', which is no action`];
  const out: string[] = [];
  if (item.label !== menuLabel(action.name)) out.push(`'${item.label}' sends '${item.command}', whose label is '${menuLabel(action.name)}'`);
  const keys = action.keys ?? [];
  if (!item.accelerator) {
    if (keys.length) out.push(`'${item.label}' shows no shortcut, but '${item.command}' has ${keys[0]}`);
  } else {
    const press = pressFor(item.accelerator, isMac);
    if (!keys.some((k) => matches(k, press, isMac))) out.push(`'${item.label}' shows ${item.accelerator}, but '${item.command}' answers to ${keys.join(', ') || 'no key'}`);
    const others = [...actions.values()].filter((a) => a !== action && a.keys?.some((k) => matches(k, press, isMac)));
    if (others.length) out.push(`'${item.label}' shows ${item.accelerator}, which also runs ${others.map((a) => a.name).join(', ')}`);
  }
  return out;
}

const registered = new Map(ACTIONS.map((a) => [a.name, a]));

for (const platform of ['linux', 'win32', 'darwin'] as const) {
  test(`${platform}: every menu item sends a real action with its label and its real shortcut`, () => {
    const items = menuActions(platform);
    assert.ok(items.length > 20);
    assert.deepEqual(
      items.flatMap((i) => drift(i, registered, platform === 'darwin')),
      [],
    );
    assert.ok(items.every((i) => i.command === 'file.openRecent' || !!registered.get(i.command)));
  });
}

test('the four drifts the menu once had are each caught', () => {
  // The hand-written menu as it was: each of these items is wrong in a way the check above must report.
  const old: MenuAction[] = [
    { label: 'New from Template…', command: 'file.new', accelerator: 'CmdOrCtrl+N' },
    { label: 'Train', command: 'run.train', accelerator: 'F5' },
    { label: 'Stop', command: 'run.stop', accelerator: 'Shift+F5' },
    { label: 'Export Layer Summary (Markdown)…', command: 'file.export', accelerator: 'CmdOrCtrl+E' },
  ];
  for (const isMac of [false, true]) {
    for (const item of old) {
      const problems = drift(item, registered, isMac);
      assert.ok(
        problems.some((p) => p.includes(`shows ${item.accelerator}, but`)),
        `${item.label}: ${problems.join('; ')}`,
      );
    }
  }
  // And the template item sent the wrong action: its label belongs to another one.
  assert.ok(drift(old[0], registered, false).some((p) => p.includes("whose label is 'New project'")));
  // The corrected items pass.
  const now = menuActions('linux');
  for (const command of ['file.newFromTemplate', 'run.train', 'run.stop', 'file.export'] as const) {
    const item = now.find((i) => i.command === command);
    assert.ok(item, command);
    assert.deepEqual(drift(item, registered, false), []);
  }
  assert.equal(now.find((i) => i.command === 'run.train')?.accelerator, 'CmdOrCtrl+Enter');
  assert.equal(now.find((i) => i.command === 'run.stop')?.accelerator, 'CmdOrCtrl+Shift+Enter');
  assert.equal(now.find((i) => i.command === 'file.export')?.accelerator, 'CmdOrCtrl+Shift+E');
  assert.equal(now.find((i) => i.command === 'file.newFromTemplate')?.accelerator, 'CmdOrCtrl+Shift+N');
});

test('shortcuts convert to Electron accelerators', () => {
  assert.equal(toElectronAccelerator('Mod+Shift+E'), 'CmdOrCtrl+Shift+E');
  assert.equal(toElectronAccelerator('Mod+Enter'), 'CmdOrCtrl+Enter');
  assert.equal(toElectronAccelerator('Mod+Alt+N'), 'CmdOrCtrl+Alt+N');
  assert.equal(toElectronAccelerator('Shift+1'), 'Shift+1');
  assert.equal(toElectronAccelerator('Delete'), 'Delete');
  assert.equal(toElectronAccelerator('Shift+ArrowUp'), 'Shift+Up');
  assert.equal(toElectronAccelerator('Escape'), 'Esc');
  assert.equal(toElectronAccelerator('Mod+.'), 'CmdOrCtrl+.');
  assert.equal(toElectronAccelerator('F1'), 'F1');
  // Every shortcut round-trips: the accelerator's key press runs the shortcut it came from.
  for (const [id, spec] of Object.entries(ACTION_CATALOGUE))
    for (const k of spec.keys ?? []) for (const isMac of [false, true]) assert.ok(matches(k, pressFor(toElectronAccelerator(k), isMac), isMac), `${id}: ${k}`);
});

test('items the renderer reports unavailable are greyed out, the others stay enabled', () => {
  const items = menuActions('linux', new Set<ActionId>(['run.stop', 'edit.undo']));
  assert.equal(items.find((i) => i.command === 'run.stop')?.enabled, false);
  assert.equal(items.find((i) => i.command === 'edit.undo')?.enabled, false);
  assert.equal(items.find((i) => i.command === 'run.train')?.enabled, undefined);
  assert.ok(menuActions('linux').every((i) => i.enabled === undefined), 'before the renderer reports, everything is enabled');
});
