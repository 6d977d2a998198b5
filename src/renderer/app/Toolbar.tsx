import { isActive } from '../../shared/runs/runRecord';
import { displayShortcut } from '../core/keys';
import { shortcutOf, type ActionId } from '../../shared/actionCatalogue';
import { isDirty } from '../core/state';
import { useEditor, useEditorState } from './context';
import { isMac } from './editor';
import { Icon, type IconName } from './Icon';

function ToolButton({ action, icon, text, primary }: { action: ActionId; icon: IconName; text?: string; primary?: boolean }) {
  const { manager } = useEditor();
  // Re-render on state changes so enabled/checked stay current.
  useEditorState((s) => s);
  const a = manager.get(action);
  if (!a) return null;
  const enabled = manager.isEnabled(action);
  const checked = a.checked?.(manager.store.get());
  const key = a.keys?.[0] ? ` (${displayShortcut(a.keys[0], isMac)})` : '';
  return (
    <button
      className={`tool-btn ${text ? 'with-text' : ''} ${primary ? 'primary' : ''} ${checked ? 'checked' : ''}`}
      disabled={!enabled}
      title={`${a.label}${key}`}
      aria-label={a.label}
      data-testid={`tool-${action}`}
      onClick={() => void manager.execute(action, undefined, 'toolbar')}
    >
      <Icon name={icon} size={16} />
      {text && <span>{text}</span>}
    </button>
  );
}

const WORKSPACES = [
  { id: 'editor', label: 'Editor', action: 'view.editor' },
  { id: 'training', label: 'Training', action: 'view.training' },
  { id: 'runs', label: 'Runs', action: 'view.runs' },
  { id: 'experiments', label: 'Experiments', action: 'view.experiments' },
] as const;

/** Editor | Training | Runs; a dot on Training while a run trains. */
function WorkspaceSwitch() {
  const { manager } = useEditor();
  const ws = useEditorState((s) => s.workspace);
  const state = useEditorState((s) => s.run?.state);
  return (
    <div className="ws-switch" role="tablist" aria-label="Workspace" data-testid="workspace-switch">
      {WORKSPACES.map((w) => (
        <button key={w.id} role="tab" aria-selected={ws === w.id} className={ws === w.id ? 'on' : ''} data-testid={`ws-${w.id}`} onClick={() => void manager.execute(w.action, undefined, 'toolbar')}>
          {w.id === 'training' && isActive(state) && <span className={`live-dot ${state === 'paused' ? 'paused' : ''}`} />}
          {w.label}
        </button>
      ))}
    </div>
  );
}

export function Toolbar() {
  const name = useEditorState((s) => s.doc.meta.name);
  const dirty = useEditorState(isDirty);
  const theme = useEditorState((s) => s.prefs.theme);
  const running = useEditorState((s) => isActive(s.run?.state));
  const editing = useEditorState((s) => s.workspace === 'editor');
  const { manager } = useEditor();
  return (
    <header className="toolbar" data-testid="toolbar">
      <div className="brand">
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="5" cy="6" r="2.4" fill="var(--accent)" />
          <circle cx="5" cy="18" r="2.4" fill="var(--accent)" />
          <circle cx="19" cy="12" r="2.6" fill="var(--accent)" />
          <path d="M7 6.8L17 11.2M7 17.2L17 12.8" stroke="var(--accent)" strokeWidth="1.6" />
        </svg>
        <span>Netsmith</span>
      </div>
      <WorkspaceSwitch />
      <div className="tool-group">
        <ToolButton action="file.newFromTemplate" icon="template" text="New" />
        <ToolButton action="file.open" icon="open" />
        <ToolButton action="file.save" icon="save" />
      </div>
      {editing && (
        <>
          <div className="tool-group">
            <ToolButton action="edit.undo" icon="undo" />
            <ToolButton action="edit.redo" icon="redo" />
          </div>
          <div className="tool-group">
            <ToolButton action="group.create" icon="group" />
            <ToolButton action="graph.autoLayout" icon="layout" />
            <ToolButton action="view.fit" icon="fit" />
          </div>
        </>
      )}
      <div className="doc-title" data-testid="doc-title" title={name}>
        <span className="doc-name">{name}</span>
        {dirty && <span className="dirty-dot" title="Unsaved changes" />}
      </div>
      <div className="tool-group right">
        {running ? <ToolButton action="run.stop" icon="stop" text="Stop" /> : <ToolButton action="run.train" icon="play" text="Train" primary />}
      </div>
      <div className="tool-group">
        <button className="tool-btn palette-btn" data-testid="tool-palette" title="Command palette" onClick={() => void manager.execute('view.commandPalette', undefined, 'toolbar')}>
          <Icon name="search" size={14} />
          <span>Commands</span>
          <kbd>{displayShortcut(shortcutOf('view.commandPalette')!, isMac)}</kbd>
        </button>
        {editing && <ToolButton action="view.minimap" icon="map" />}
        <ToolButton action="view.theme" icon={theme === 'dark' ? 'sun' : 'moon'} />
      </div>
    </header>
  );
}
