import { useMemo, useState } from 'react';
import type { ActionId } from '../../shared/actionCatalogue';
import type { PayloadArgs } from '../actions/payloads';
import { BLOCKS } from '../../shared/blocks';
import { COMPOSITES, TEMPLATES } from '../core/catalog';
import { displayShortcut } from '../core/keys';
import { useEditor } from './context';
import { isMac } from './editor';
import { Modal } from './Modal';

interface Command {
  key: string;
  label: string;
  group: string;
  shortcut?: string;
  checked?: boolean;
  run(): void;
}

/** Ctrl/Cmd+K: every enabled command, plus "add block", "insert composite" and "new from template". */
export function CommandPalette({ onClose }: { onClose(): void }) {
  const { manager } = useEditor();
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(0);
  const all = useMemo<Command[]>(() => {
    const state = manager.store.get();
    const exec =
      <K extends ActionId>(name: K, ...[payload]: PayloadArgs<K>) =>
      () => {
        onClose();
        void manager.execute(name, payload, 'palette');
      };
    const cmds: Command[] = manager
      .list()
      .filter((a) => a.palette !== false && a.name !== 'view.commandPalette' && (a.predicate?.(state) ?? true))
      .map((a) => ({ key: a.name, label: a.label, group: a.category, shortcut: a.keys?.[0] && displayShortcut(a.keys[0], isMac), checked: a.checked?.(state), run: exec(a.name) }));
    for (const b of BLOCKS) cmds.push({ key: `add:${b.type}`, label: `Add ${b.title}`, group: 'Block', run: exec('graph.addBlock', { type: b.type }) });
    for (const c of COMPOSITES) cmds.push({ key: `comp:${c.id}`, label: `Insert ${c.name}`, group: 'Composite', run: exec('graph.insertComposite', { id: c.id }) });
    for (const t of TEMPLATES) cmds.push({ key: `tpl:${t.id}`, label: `New from template: ${t.name}`, group: 'Template', run: exec('file.loadTemplate', { id: t.id }) });
    return cmds;
  }, [manager, onClose]);
  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return all.filter((c) => c.group !== 'Block' && c.group !== 'Template' && c.group !== 'Composite');
    return all.filter((c) => words.every((w) => `${c.label} ${c.group}`.toLowerCase().includes(w))).slice(0, 60);
  }, [all, query]);
  const pick = shown[Math.min(cursor, shown.length - 1)];
  return (
    <Modal title="Commands" onClose={onClose} width={560} testId="command-palette" className="palette-modal">
      <input
        className="input wide palette-input"
        data-testid="command-input"
        placeholder="Type a command, a block or a template…"
        data-autofocus
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setCursor(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setCursor((c) => Math.min(shown.length - 1, c + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setCursor((c) => Math.max(0, c - 1));
          } else if (e.key === 'Enter' && pick) {
            e.preventDefault();
            pick.run();
          }
        }}
      />
      <div className="command-list" role="listbox">
        {shown.length === 0 && <div className="muted pad">No matching command</div>}
        {shown.map((c, i) => (
          <div key={c.key} role="option" aria-selected={c === pick} className={`command-row ${c === pick ? 'on' : ''}`} data-testid={`command-${c.key}`} onMouseMove={() => setCursor(i)} onClick={c.run}>
            <span className="command-group">{c.group}</span>
            <span className="command-label">
              {c.label}
              {c.checked !== undefined && <span className="muted">{c.checked ? ' · on' : ' · off'}</span>}
            </span>
            {c.shortcut && <kbd>{c.shortcut}</kbd>}
          </div>
        ))}
      </div>
    </Modal>
  );
}
