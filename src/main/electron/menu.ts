import { MENU_COMMANDS, NATIVE_MENU, menuAccelerator, menuLabel, type ActionId, type MenuCommand, type NativeMenuSection } from '../../shared/actionCatalogue';
import type { MenuItemSpec } from './types';

export { MENU_COMMANDS, type MenuCommand };

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Recent project paths, newest first. */
  recent: string[];
  devTools: boolean;
  /** Actions the renderer reports as unavailable now (greyed out); absent until it reports. */
  disabled?: ReadonlySet<ActionId>;
  /** `arg` carries the project path for 'file.openRecent'. */
  send(command: MenuCommand, arg?: string): void;
}

/**
 * The application menu, built from the action catalogue (labels and shortcuts are the actions' own).
 * Accelerators are shown but not registered (Linux/Windows): the renderer owns every shortcut, so keys
 * behave the same in the browser host and text fields keep native editing.
 */
export function buildMenuTemplate(o: MenuOptions): MenuItemSpec[] {
  const mac = o.platform === 'darwin';
  const sep: MenuItemSpec = { type: 'separator' };
  const action = (id: ActionId): MenuItemSpec => {
    const accelerator = menuAccelerator(id);
    return {
      label: menuLabel(id),
      ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
      ...(o.disabled?.has(id) ? { enabled: false } : {}),
      click: () => o.send(id),
    };
  };
  const recent: MenuItemSpec = {
    label: 'Open Recent',
    submenu: o.recent.length > 0 ? o.recent.map((path) => ({ label: path, click: () => o.send('file.openRecent', path) })) : [{ label: 'No recent projects', enabled: false }],
  };
  // Electron's own items, after the actions of their menu.
  const roles: Record<NativeMenuSection['label'], MenuItemSpec[]> = {
    File: mac ? [] : [sep, { role: 'quit' }],
    Edit: [],
    Run: [],
    View: [sep, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { role: 'togglefullscreen' }, ...(o.devTools ? [sep, { role: 'reload' } as MenuItemSpec, { role: 'toggleDevTools' } as MenuItemSpec] : [])],
  };
  const template: MenuItemSpec[] = NATIVE_MENU.map((section) => ({
    label: section.label,
    submenu: [...section.items.map((entry) => (entry === 'separator' ? sep : entry === 'recent' ? recent : action(entry))), ...roles[section.label]],
  }));
  return mac ? [{ role: 'appMenu' }, ...template, { role: 'windowMenu' }] : template;
}
