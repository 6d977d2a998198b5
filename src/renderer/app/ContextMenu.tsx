import { useEffect, useRef } from 'react';
import type { ActionId } from '../../shared/actionCatalogue';
import { displayShortcut } from '../core/keys';
import { useEditor } from './context';
import { isMac } from './editor';

export interface MenuItem {
  action: ActionId;
  label?: string;
}
export type MenuEntry = MenuItem | 'separator';

/** A right-click menu: items are actions (label, shortcut and enabled state come from the manager). */
export function ContextMenu({ x, y, items, onClose }: { x: number; y: number; items: MenuEntry[]; onClose(): void }) {
  const { manager } = useEditor();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const down = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('mousedown', down, true);
    window.addEventListener('keydown', key, true);
    window.addEventListener('blur', onClose);
    ref.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    return () => {
      window.removeEventListener('mousedown', down, true);
      window.removeEventListener('keydown', key, true);
      window.removeEventListener('blur', onClose);
    };
  }, [onClose]);
  // Keep the menu on screen.
  const left = Math.min(x, window.innerWidth - 230);
  const top = Math.min(y, window.innerHeight - (items.length * 26 + 12));
  return (
    <div className="context-menu" ref={ref} style={{ left, top }} role="menu" data-testid="context-menu" onContextMenu={(e) => e.preventDefault()}>
      {items.map((it, i) => {
        if (it === 'separator') return <div key={i} className="menu-sep" />;
        const a = manager.get(it.action);
        if (!a) return null;
        const enabled = manager.isEnabled(it.action);
        return (
          <button
            key={i}
            role="menuitem"
            className="menu-item"
            disabled={!enabled}
            data-testid={`menu-${it.action}`}
            onClick={() => {
              onClose();
              void manager.execute(it.action, undefined, 'context');
            }}
          >
            <span>{it.label ?? a.label}</span>
            {a.keys?.[0] && <kbd>{displayShortcut(a.keys[0], isMac)}</kbd>}
          </button>
        );
      })}
    </div>
  );
}
