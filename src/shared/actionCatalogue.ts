// The action catalogue: every editor command's id, label and shortcuts, and the native menu built from them.
// Pure data shared by the renderer (which registers the behaviour) and Electron's main process (which builds
// the menu), so a label or a shortcut is written once.

export type ActionCategory = 'File' | 'Edit' | 'Graph' | 'Group' | 'View' | 'Run' | 'Help';

export interface ActionSpec {
  readonly label: string;
  readonly category: ActionCategory;
  /** Shortcuts like `Mod+Shift+Z` (`Mod` is ⌘ on macOS, Ctrl elsewhere); the first is shown in menus. */
  readonly keys?: readonly string[];
  /** The shortcuts still work while typing in a text field. */
  readonly keysInInputs?: boolean;
  /** Shown in the command palette (default true). */
  readonly palette?: boolean;
  /** A shorter title for the native menu, where the menu it sits in already says the rest. */
  readonly menuLabel?: string;
}

const catalogue = <T extends Record<string, ActionSpec>>(specs: T): { readonly [K in keyof T]: ActionSpec } => specs;

export const ACTION_CATALOGUE = catalogue({
  'edit.copy': { label: 'Copy', category: 'Edit', keys: ['Mod+C'] },
  'edit.cut': { label: 'Cut', category: 'Edit', keys: ['Mod+X'] },
  'edit.delete': { label: 'Delete', category: 'Edit', keys: ['Delete', 'Backspace'] },
  'edit.deselect': { label: 'Clear selection', category: 'Edit', keys: ['Escape'] },
  'edit.duplicate': { label: 'Duplicate', category: 'Edit', keys: ['Mod+D'] },
  'edit.paste': { label: 'Paste', category: 'Edit', keys: ['Mod+V'] },
  'edit.redo': { label: 'Redo', category: 'Edit', keys: ['Mod+Shift+Z', 'Mod+Y'] },
  'edit.selectAll': { label: 'Select all', category: 'Edit', keys: ['Mod+A'] },
  'edit.undo': { label: 'Undo', category: 'Edit', keys: ['Mod+Z'] },
  'experiment.saveFromRuns': { label: 'Save experiment from runs…', category: 'Run' },
  'experiment.start': { label: 'Start the open experiment', category: 'Run' },
  'experiment.stop': { label: 'Stop the open experiment', category: 'Run' },
  'file.download': { label: 'Download project file', category: 'File' },
  'file.export': { label: 'Export layer summary (Markdown)', category: 'File', keys: ['Mod+Shift+E'] },
  'file.exportPicture': { label: 'Export network picture (SVG/PNG)…', category: 'File' },
  'file.loadTemplate': { label: 'New project from template', category: 'File', palette: false },
  'file.new': { label: 'New project', category: 'File', keys: ['Mod+Alt+N'] },
  'file.newFromTemplate': { label: 'New from template…', category: 'File', keys: ['Mod+Shift+N'], keysInInputs: true },
  'file.open': { label: 'Open…', category: 'File', keys: ['Mod+O'], keysInInputs: true },
  'file.openPath': { label: 'Open project from the host', category: 'File', palette: false },
  'file.recover': { label: 'Recover unsaved work', category: 'File', palette: false },
  'file.reopen': { label: 'Reopen the last document', category: 'File', palette: false },
  'file.save': { label: 'Save', category: 'File', keys: ['Mod+S'], keysInInputs: true },
  'file.saveAs': { label: 'Save as…', category: 'File', keys: ['Mod+Shift+S'], keysInInputs: true },
  'file.saveTo': { label: 'Save to path', category: 'File', palette: false },
  'file.loadWeights': { label: 'Load weights…', category: 'File' },
  'file.upload': { label: 'Open file from this computer…', category: 'File' },
  'graph.addBlock': { label: 'Add block', category: 'Graph', palette: false },
  'graph.autoLayout': { label: 'Auto-layout', category: 'Graph', keys: ['Mod+Shift+L'] },
  'graph.connect': { label: 'Connect', category: 'Graph', palette: false },
  'graph.focus': { label: 'Focus blocks', category: 'View', palette: false },
  'graph.insertComposite': { label: 'Insert composite', category: 'Graph', palette: false },
  'graph.moveNodes': { label: 'Move blocks', category: 'Graph', palette: false },
  'graph.nudgeDown': { label: 'Move down', category: 'Graph', keys: ['ArrowDown', 'Shift+ArrowDown'], palette: false },
  'graph.nudgeLeft': { label: 'Move left', category: 'Graph', keys: ['ArrowLeft', 'Shift+ArrowLeft'], palette: false },
  'graph.nudgeRight': { label: 'Move right', category: 'Graph', keys: ['ArrowRight', 'Shift+ArrowRight'], palette: false },
  'graph.nudgeUp': { label: 'Move up', category: 'Graph', keys: ['ArrowUp', 'Shift+ArrowUp'], palette: false },
  'graph.select': { label: 'Select', category: 'Edit', palette: false },
  'graph.setLabel': { label: 'Rename block', category: 'Graph', palette: false },
  'graph.setFrozen': { label: 'Freeze / unfreeze selected blocks', category: 'Graph' },
  'graph.freezeUpTo': { label: 'Freeze everything up to here', category: 'Graph' },
  'graph.unfreezeAll': { label: 'Unfreeze all blocks', category: 'Graph' },
  'graph.setLrMultiplier': { label: 'Set learning-rate multiplier', category: 'Graph', palette: false },
  'graph.setMeta': { label: 'Graph settings', category: 'Graph', palette: false },
  'graph.setParam': { label: 'Set parameter', category: 'Graph', palette: false },
  'group.create': { label: 'Group selection…', category: 'Group', keys: ['Mod+G'] },
  'group.rename': { label: 'Rename group', category: 'Group', palette: false },
  'group.saveToLibrary': { label: 'Save to my blocks…', category: 'Group' },
  'group.setRepeat': { label: 'Repeat group', category: 'Group', palette: false },
  'group.toggleCollapse': { label: 'Collapse / expand group', category: 'Group', keys: ['Mod+.'] },
  'group.ungroup': { label: 'Ungroup', category: 'Group', keys: ['Mod+Shift+G'] },
  'library.insert': { label: 'Insert from my blocks', category: 'Graph', palette: false },
  'library.remove': { label: 'Remove from my blocks', category: 'Graph', palette: false },
  'run.export': { label: 'Export model…', category: 'Run' },
  'run.pause': { label: 'Pause training', category: 'Run' },
  'run.resume': { label: 'Resume training', category: 'Run' },
  'run.start': { label: 'Start training', category: 'Run', palette: false },
  'run.stop': { label: 'Stop training', category: 'Run', keys: ['Mod+Shift+Enter'] },
  'run.train': { label: 'Train…', category: 'Run', keys: ['Mod+Enter'], keysInInputs: true },
  'view.batchSize': { label: 'Batch size for the memory estimate', category: 'View', palette: false },
  'view.commandPalette': { label: 'Command palette', category: 'View', keys: ['Mod+K', 'Mod+Shift+P'], keysInInputs: true, palette: false },
  'view.fit': { label: 'Fit view', category: 'View', keys: ['Shift+1'] },
  'view.minimap': { label: 'Show minimap', category: 'View', keys: ['Mod+Shift+K'] },
  'view.problems': { label: 'Show problems panel', category: 'View', keys: ['Mod+Shift+M'] },
  'view.shortcuts': { label: 'Keyboard shortcuts', category: 'Help', keys: ['F1'], keysInInputs: true },
  'view.snap': { label: 'Snap to grid', category: 'View' },
  'view.theme': { label: 'Toggle dark / light theme', category: 'View', keys: ['Mod+Shift+T'] },
  'view.editor': { label: 'Show the editor', menuLabel: 'Editor', category: 'View', keys: ['Mod+Shift+1'] },
  'view.experiments': { label: 'Show experiments (guided studies from the notes)', menuLabel: 'Experiments', category: 'View', keys: ['Mod+Shift+4'] },
  'view.runs': { label: 'Show runs (compare past runs)', menuLabel: 'Runs', category: 'View', keys: ['Mod+Shift+3'] },
  'view.training': { label: 'Show training (Train panel and dashboards)', menuLabel: 'Training', category: 'View', keys: ['Mod+Shift+2'] },
  'view.workspace': { label: 'Switch workspace', category: 'View', palette: false },
});

export type ActionId = keyof typeof ACTION_CATALOGUE;
export const ACTION_IDS = Object.keys(ACTION_CATALOGUE) as ActionId[];
export const isActionId = (name: string): name is ActionId => Object.prototype.hasOwnProperty.call(ACTION_CATALOGUE, name);

/** The native menu: a run of actions per top-level menu; `recent` is the Open Recent submenu. */
export type NativeMenuEntry = ActionId | 'separator' | 'recent';
export interface NativeMenuSection {
  readonly label: 'File' | 'Edit' | 'Run' | 'View';
  readonly items: readonly NativeMenuEntry[];
}

export const NATIVE_MENU: readonly NativeMenuSection[] = [
  { label: 'File', items: ['file.new', 'file.newFromTemplate', 'file.open', 'recent', 'separator', 'file.save', 'file.saveAs', 'file.export', 'run.export', 'file.exportPicture'] },
  { label: 'Edit', items: ['edit.undo', 'edit.redo', 'separator', 'edit.cut', 'edit.copy', 'edit.paste', 'edit.selectAll', 'edit.delete'] },
  { label: 'Run', items: ['run.train', 'run.pause', 'run.resume', 'run.stop', 'separator', 'run.export'] },
  { label: 'View', items: ['view.editor', 'view.training', 'view.runs', 'view.experiments', 'separator', 'view.fit', 'view.theme', 'view.minimap'] },
];

/** Commands a native menu sends to the renderer as `{type: 'menu', command}`: its actions, and Open Recent. */
export type MenuCommand = ActionId | 'file.openRecent';
export const MENU_COMMANDS: readonly MenuCommand[] = [...new Set(NATIVE_MENU.flatMap((s) => s.items.filter((i): i is ActionId => i !== 'separator' && i !== 'recent'))), 'file.openRecent'];

/** The shortcut menus, tooltips and hints show for an action: its first. */
export const shortcutOf = (id: ActionId): string | undefined => ACTION_CATALOGUE[id].keys?.[0];

export const menuLabel = (id: ActionId): string => ACTION_CATALOGUE[id].menuLabel ?? ACTION_CATALOGUE[id].label;

const ELECTRON_KEYS: Record<string, string> = { mod: 'CmdOrCtrl', arrowup: 'Up', arrowdown: 'Down', arrowleft: 'Left', arrowright: 'Right', escape: 'Esc' };

/** A shortcut in Electron's accelerator form: `Mod+Shift+E` → `CmdOrCtrl+Shift+E`, `ArrowUp` → `Up`. */
export function toElectronAccelerator(shortcut: string): string {
  const parts = shortcut.split('+');
  const key = parts.pop() || '+';
  const mods = parts.map((m) => ELECTRON_KEYS[m.toLowerCase()] ?? m[0].toUpperCase() + m.slice(1).toLowerCase());
  const k = ELECTRON_KEYS[key.toLowerCase()] ?? (key.length === 1 ? key.toUpperCase() : key);
  return [...mods, k].join('+');
}

/** The accelerator a native menu item shows for an action: its first shortcut. */
export function menuAccelerator(id: ActionId): string | undefined {
  const first = shortcutOf(id);
  return first === undefined ? undefined : toElectronAccelerator(first);
}
