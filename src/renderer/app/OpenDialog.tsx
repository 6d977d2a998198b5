import { useEffect, useState } from 'react';
import type { ProjectEntry } from '../../shared/api';
import { ago, formatBytes } from '../core/format';
import { useEditor, useRun } from './context';
import { Icon } from './Icon';
import { Modal } from './Modal';

/** Open: the host's projects, or a file from this computer. */
export function OpenDialog({ onClose }: { onClose(): void }) {
  const { lab } = useEditor();
  const run = useRun();
  const [projects, setProjects] = useState<ProjectEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sel, setSel] = useState(0);
  const [query, setQuery] = useState('');
  useEffect(() => {
    if (!lab) return;
    lab.listProjects().then(
      (p) => setProjects([...p].sort((a, b) => b.modified.localeCompare(a.modified))),
      (e: Error) => setError(e.message),
    );
  }, [lab]);
  const shown = (projects ?? []).filter((p) => !query || p.path.toLowerCase().includes(query.toLowerCase()));
  // A host path to an .onnx typed in the filter opens that model (imported with its weights).
  const onnxPath = /\.onnx$/i.test(query.trim()) ? query.trim() : null;
  const open = (p: ProjectEntry | undefined) => (onnxPath ? run('file.openPath', { path: onnxPath }) : p && run('file.openPath', { path: p.path }));
  return (
    <Modal
      title="Open project"
      onClose={onClose}
      width={620}
      testId="open-dialog"
      footer={
        <>
          <button className="btn" data-testid="open-upload" onClick={() => run('file.upload')}>
            <Icon name="export" size={14} /> From this computer…
          </button>
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" data-testid="open-confirm" disabled={!shown[sel] && !onnxPath} onClick={() => open(shown[sel])}>
            Open
          </button>
        </>
      }
    >
      {!lab && <p className="muted">Not connected to a host: open a file from this computer.</p>}
      {lab && (
        <>
          <div className="palette-search small">
            <Icon name="search" size={14} />
            <input
              placeholder="Filter projects, or a host path to an .onnx model"
              value={query}
              data-autofocus
              onChange={(e) => {
                setQuery(e.target.value);
                setSel(0);
              }}
              onKeyDown={(e) => {
                if (e.key === 'ArrowDown') setSel((s) => Math.min(shown.length - 1, s + 1));
                else if (e.key === 'ArrowUp') setSel((s) => Math.max(0, s - 1));
                else if (e.key === 'Enter') open(shown[sel]);
              }}
            />
          </div>
          <div className="file-list" role="listbox">
            {error && <div className="field-error">{error}</div>}
            {!projects && !error && <div className="muted pad">Loading…</div>}
            {onnxPath && <div className="muted pad" data-testid="open-onnx-hint">Open the ONNX model {onnxPath}: it is imported with its weights</div>}
            {projects && shown.length === 0 && !onnxPath && <div className="muted pad">No projects yet: save one with Save as…</div>}
            {shown.map((p, i) => (
              <div key={p.path} role="option" aria-selected={i === sel} className={`file-row ${i === sel ? 'on' : ''}`} data-testid={`project-${p.path}`} onClick={() => setSel(i)} onDoubleClick={() => open(p)}>
                <Icon name="file" size={14} />
                <span className="file-name">{p.name}</span>
                <span className="file-path mono">{p.path}</span>
                <span className="file-meta">{ago(p.modified)}</span>
                <span className="file-meta">{formatBytes(p.size)}</span>
              </div>
            ))}
          </div>
        </>
      )}
    </Modal>
  );
}
