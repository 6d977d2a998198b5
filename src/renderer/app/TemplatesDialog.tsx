import { useMemo, useState } from 'react';
import { blockByType } from '../../shared/blocks';
import type { GraphDoc } from '../../shared/graph/types';
import { analysisOf } from '../core/analysis';
import { TEMPLATES } from '../core/catalog';
import { formatCount, formatFlops } from '../core/format';
import { thumbnail } from '../core/view';
import { useRun } from './context';
import { Icon } from './Icon';
import { Modal } from './Modal';

const FAMILY_LABEL: Record<string, string> = { cnn: 'CNN', mobile: 'Mobile', transformer: 'Transformer', segmentation: 'Segmentation', detection: 'Detection' };

interface Card {
  id: string;
  name: string;
  family: string;
  description: string;
  input: string;
  classes: number;
  doc: GraphDoc;
}

let cards: Card[] | null = null;
function loadCards(): Card[] {
  if (!cards) {
    cards = [];
    for (const t of TEMPLATES) {
      try {
        cards.push({ id: t.id, name: t.name, family: t.family, description: t.description, input: t.input.join('×'), classes: t.classes, doc: t.build() });
      } catch (err) {
        console.error(`template ${t.id} failed to build`, err);
      }
    }
  }
  return cards;
}

const familyOf = (type: string): string => blockByType(type)?.family ?? 'unknown';

export function Thumbnail({ doc }: { doc: GraphDoc }) {
  const t = useMemo(() => thumbnail(doc, familyOf), [doc]);
  return (
    <svg className="thumb" viewBox={t.viewBox} preserveAspectRatio="xMidYMid meet" aria-hidden="true">
      {t.lines.map((l, i) => (
        <line key={i} x1={l.x1} y1={l.y1} x2={l.x2} y2={l.y2} className="thumb-edge" />
      ))}
      {t.rects.map((r, i) => (
        <rect key={i} x={r.x} y={r.y} width={r.w} height={r.h} rx={10} className={`thumb-node fam-fill-${r.family}`} />
      ))}
    </svg>
  );
}

/** New from template: a gallery with thumbnails and each template's totals. */
export function TemplatesDialog({ onClose }: { onClose(): void }) {
  const run = useRun();
  const [family, setFamily] = useState('all');
  const [query, setQuery] = useState('');
  const all = useMemo(loadCards, []);
  const families = ['all', ...new Set(all.map((c) => c.family))];
  const q = query.trim().toLowerCase();
  const shown = all.filter((c) => (family === 'all' || c.family === family) && (!q || `${c.name} ${c.description}`.toLowerCase().includes(q)));
  return (
    <Modal title="New project" onClose={onClose} width={1000} testId="templates-dialog" className="templates-modal">
      <div className="gallery-bar">
        <div className="tabs">
          {families.map((f) => (
            <button key={f} className={`tab ${f === family ? 'on' : ''}`} onClick={() => setFamily(f)}>
              {f === 'all' ? 'All' : (FAMILY_LABEL[f] ?? f)}
            </button>
          ))}
        </div>
        <div className="palette-search small">
          <Icon name="search" size={14} />
          <input placeholder="Filter templates" value={query} onChange={(e) => setQuery(e.target.value)} data-autofocus />
        </div>
      </div>
      <div className="gallery">
        {family === 'all' && !q && (
          <button className="card blank" data-testid="template-blank" onClick={() => run('file.new')}>
            <div className="thumb blank-thumb">
              <Icon name="plus" size={28} />
            </div>
            <div className="card-body">
              <div className="card-title">Blank project</div>
              <div className="card-desc">An Input block and an empty canvas.</div>
            </div>
          </button>
        )}
        {shown.map((c) => {
          const t = analysisOf(c.doc).analysis.totals;
          return (
            <button key={c.id} className="card" data-testid={`template-${c.id}`} onClick={() => run('file.loadTemplate', { id: c.id })}>
              <Thumbnail doc={c.doc} />
              <div className="card-body">
                <div className="card-title">
                  {c.name}
                  <span className="tag">{FAMILY_LABEL[c.family] ?? c.family}</span>
                </div>
                <div className="card-desc">{c.description}</div>
                <div className="card-stats mono">
                  <span>{c.input}</span>
                  <span>{formatCount(t.params)} params</span>
                  <span>{formatFlops(t.flops)}</span>
                </div>
              </div>
            </button>
          );
        })}
      </div>
    </Modal>
  );
}
