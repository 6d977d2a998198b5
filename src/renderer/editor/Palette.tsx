import { useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { BLOCKS, FAMILIES, type AnyBlockDef, type BlockFamily } from '../../shared/blocks';
import { COMPOSITES } from '../core/catalog';
import { useLibrary, useRun } from '../app/context';
import { Icon } from '../app/Icon';
import { DND_MIME } from './Canvas';
import { DocCard } from './DocCard';
import { plural } from '../../shared/plural';

export const FAMILY_NAMES: Record<BlockFamily, string> = {
  io: 'Input / output',
  conv: 'Convolution',
  dense: 'Dense',
  pool: 'Pooling',
  norm: 'Normalisation',
  activation: 'Activations',
  regularization: 'Regularisation',
  merge: 'Merge',
  reshape: 'Reshape',
  attention: 'Attention',
  transformer: 'Transformer',
  detection: 'Detection',
  head: 'Heads',
};

type Item =
  | { kind: 'block'; id: string; title: string; family: string; def: AnyBlockDef; search: string }
  | { kind: 'composite'; id: string; title: string; family: 'composite'; description: string; search: string }
  | { kind: 'library'; id: string; title: string; family: 'library'; description: string; search: string };

interface Hover {
  item: Item;
  top: number;
}

/** The block palette: grouped by family, searchable, drag onto the canvas or click to insert after the selection. */
export function Palette() {
  const run = useRun();
  const library = useLibrary();
  const [query, setQuery] = useState('');
  const [closed, setClosed] = useState<Set<string>>(() => new Set());
  const [hover, setHover] = useState<Hover | null>(null);
  const [cursor, setCursor] = useState(0);
  const hoverTimer = useRef<number | undefined>(undefined);

  const sections = useMemo(() => {
    const q = query.trim().toLowerCase();
    const match = (i: Item) => !q || i.search.includes(q);
    const out: { key: string; title: string; items: Item[] }[] = [];
    for (const f of FAMILIES) {
      const items: Item[] = BLOCKS.filter((b) => b.family === f).map((def) => ({ kind: 'block', id: def.type, title: def.title, family: def.family, def, search: `${def.title} ${def.type} ${def.family} ${def.doc.summary}`.toLowerCase() }));
      out.push({ key: f, title: FAMILY_NAMES[f], items: items.filter(match) });
    }
    out.push({
      key: 'composite',
      title: 'Composite blocks',
      items: COMPOSITES.map((c): Item => ({ kind: 'composite', id: c.id, title: c.name, family: 'composite', description: c.description, search: `${c.name} ${c.description} composite`.toLowerCase() })).filter(match),
    });
    out.push({
      key: 'library',
      title: 'My blocks',
      items: library.map((l): Item => ({ kind: 'library', id: l.id, title: l.name, family: 'library', description: `${plural(l.blocks, 'block')} · saved ${new Date(l.savedAt).toLocaleDateString()}`, search: `${l.name} my library`.toLowerCase() })).filter(match),
    });
    return out.filter((s) => s.items.length > 0 || (s.key === 'library' && !q));
  }, [query, library]);

  const flat = useMemo(() => sections.flatMap((s) => (query || !closed.has(s.key) ? s.items : [])), [sections, closed, query]);

  const insert = (it: Item) => {
    if (it.kind === 'block') run('graph.addBlock', { type: it.id });
    else if (it.kind === 'composite') run('graph.insertComposite', { id: it.id });
    else run('library.insert', { id: it.id });
  };

  const onDragStart = (e: DragEvent, it: Item) => {
    setHover(null);
    e.dataTransfer.setData(DND_MIME, JSON.stringify({ kind: it.kind, id: it.id }));
    e.dataTransfer.setData('text/plain', it.title);
    e.dataTransfer.effectAllowed = 'copy';
  };

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setCursor((c) => Math.min(flat.length - 1, c + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setCursor((c) => Math.max(0, c - 1));
    } else if (e.key === 'Enter' && flat[cursor]) {
      e.preventDefault();
      insert(flat[cursor]);
    } else if (e.key === 'Escape') {
      setQuery('');
      (e.target as HTMLInputElement).blur();
    }
  };

  const showDoc = (it: Item, el: HTMLElement) => {
    window.clearTimeout(hoverTimer.current);
    const top = el.getBoundingClientRect().top;
    hoverTimer.current = window.setTimeout(() => setHover({ item: it, top }), 350);
  };
  const hideDoc = () => {
    window.clearTimeout(hoverTimer.current);
    setHover(null);
  };

  return (
    <aside className="palette panel" data-testid="palette">
      <div className="panel-header">
        <span>Blocks</span>
        <span className="muted">{BLOCKS.length}</span>
      </div>
      <div className="palette-search">
        <Icon name="search" size={14} />
        <input
          data-testid="palette-search"
          placeholder="Search blocks…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setCursor(0);
          }}
          onKeyDown={onSearchKey}
          spellCheck={false}
        />
      </div>
      <div className="palette-list" onMouseLeave={hideDoc}>
        {sections.map((s) => {
          const open = !!query || !closed.has(s.key);
          return (
            <section key={s.key} className="palette-section">
              <button
                className="palette-section-head"
                onClick={() => setClosed((c) => {
                  const n = new Set(c);
                  if (n.has(s.key)) n.delete(s.key);
                  else n.add(s.key);
                  return n;
                })}
              >
                <Icon name={open ? 'chevronDown' : 'chevronRight'} size={12} />
                <span>{s.title}</span>
                <span className="muted">{s.items.length}</span>
              </button>
              {open && s.items.length === 0 && s.key === 'library' && <div className="palette-empty">Select a group and choose “Save to my blocks”.</div>}
              {open &&
                s.items.map((it) => {
                  const active = query && flat[cursor] === it;
                  return (
                    <div
                      key={`${it.kind}:${it.id}`}
                      className={`palette-item ${active ? 'active' : ''}`}
                      draggable
                      role="button"
                      tabIndex={-1}
                      data-testid={`palette-${it.kind}-${it.id}`}
                      onDragStart={(e) => onDragStart(e, it)}
                      onClick={() => insert(it)}
                      onMouseEnter={(e) => showDoc(it, e.currentTarget)}
                      onContextMenu={(e) => {
                        if (it.kind !== 'library') return;
                        e.preventDefault();
                        run('library.remove', { id: it.id });
                      }}
                      title={it.kind === 'library' ? 'Click to insert, drag onto the canvas; right-click to remove' : undefined}
                    >
                      <span className={`fam-dot fam-${it.family}`} />
                      <span className="palette-title">{it.title}</span>
                      {it.kind !== 'block' && <Icon name={it.kind === 'library' ? 'library' : 'group'} size={12} className="muted" />}
                    </div>
                  );
                })}
            </section>
          );
        })}
      </div>
      <div className="palette-foot muted">Drag onto the canvas, or click to add after the selection.</div>
      {hover && (
        <div className="doc-popover" style={{ top: Math.min(hover.top, window.innerHeight - 360) }} data-testid="palette-doc">
          <div className="doc-popover-title">
            <span className={`fam-dot fam-${hover.item.family}`} />
            {hover.item.title}
          </div>
          {hover.item.kind === 'block' ? <DocCard def={hover.item.def} compact /> : <p className="doc-summary">{hover.item.description}</p>}
        </div>
      )}
    </aside>
  );
}
