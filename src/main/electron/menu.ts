import { MENU_COMMANDS, type MenuCommand } from '../../shared/menu';
import type { MenuItemSpec } from './types';

export { MENU_COMMANDS, type MenuCommand };

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Recent project paths, newest first. */
  recent: string[];
  devTools: boolean;
  /** `arg` carries the project path for 'file.openRecent'. */
  send(command: MenuCommand, arg?: string): void;
}

/**
 * The application menu. Accelerators are shown but not registered (Linux/Windows): the renderer owns
 * every shortcut, so keys behave the same in the browser host and text fields keep native editing.
 */
export function buildMenuTemplate(o: MenuOptions): MenuItemSpec[] {
  const mac = o.platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemSpec => ({
    label,
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
    click: () => o.send(command),
  });
  const sep: MenuItemSpec = { type: 'separator' };
  const recent: MenuItemSpec[] =
    o.recent.length > 0
      ? o.recent.map((path) => ({ label: path, click: () => o.send('file.openRecent', path) }))
      : [{ label: 'No recent projects', enabled: false }];

  const template: MenuItemSpec[] = [
    {
      label: 'File',
      submenu: [
        item('New from Template…', 'file.new', 'CmdOrCtrl+N'),
        item('Open…', 'file.open', 'CmdOrCtrl+O'),
        { label: 'Open Recent', submenu: recent },
        sep,
        item('Save', 'file.save', 'CmdOrCtrl+S'),
        item('Save As…', 'file.saveAs', 'CmdOrCtrl+Shift+S'),
        item('Export Layer Summary (Markdown)…', 'file.export', 'CmdOrCtrl+E'),
        item('Export Model…', 'run.export'),
        item('Export Network Picture (SVG/PNG)…', 'file.exportPicture'),
        ...(mac ? [] : [sep, { role: 'quit' } as MenuItemSpec]),
      ],
    },
    {
      label: 'Edit',
      submenu: [
        item('Undo', 'edit.undo', 'CmdOrCtrl+Z'),
        item('Redo', 'edit.redo', mac ? 'Cmd+Shift+Z' : 'Ctrl+Y'),
        sep,
        item('Cut', 'edit.cut', 'CmdOrCtrl+X'),
        item('Copy', 'edit.copy', 'CmdOrCtrl+C'),
        item('Paste', 'edit.paste', 'CmdOrCtrl+V'),
        item('Select All', 'edit.selectAll', 'CmdOrCtrl+A'),
        item('Delete', 'edit.delete', 'Delete'),
      ],
    },
    {
      label: 'Run',
      submenu: [
        item('Train', 'run.train', 'F5'),
        item('Pause', 'run.pause'),
        item('Resume', 'run.resume'),
        item('Stop', 'run.stop', 'Shift+F5'),
        sep,
        item('Export Model…', 'run.export'),
      ],
    },
    {
      label: 'View',
      submenu: [
        item('Editor', 'view.editor', 'CmdOrCtrl+Shift+1'),
        item('Training', 'view.training', 'CmdOrCtrl+Shift+2'),
        item('Runs', 'view.runs', 'CmdOrCtrl+Shift+3'),
        item('Experiments', 'view.experiments', 'CmdOrCtrl+Shift+4'),
        sep,
        item('Fit View', 'view.fit', 'Shift+1'),
        item('Toggle Theme', 'view.theme'),
        item('Toggle Minimap', 'view.minimap'),
        sep,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'togglefullscreen' },
        ...(o.devTools ? [sep, { role: 'reload' } as MenuItemSpec, { role: 'toggleDevTools' } as MenuItemSpec] : []),
      ],
    },
  ];
  return mac ? [{ role: 'appMenu' }, ...template, { role: 'windowMenu' }] : template;
}
