import { useEffect, useMemo, useState } from 'react';
import type { RunSummary } from '../../shared/api';
import { RUN_METRICS } from '../../shared/experiments/measures';
import { slugify } from '../../shared/experiments/user';
import { useEditor } from '../app/context';
import { Modal } from '../app/Modal';
import { pct, seriesColor } from '../dashboards/chartKit';
import { saveProblem } from './model';
import type { ExperimentsStore } from './store';

const FINISHED = new Set(['completed', 'stopped', 'failed', 'interrupted']);

/** "Save experiment from runs…": pick two or more runs, a title and the metric; the engine evaluates it. */
export function SaveExperimentDialog({ store, onClose }: { store: ExperimentsStore; onClose(): void }) {
  const { lab, manager } = useEditor();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [title, setTitle] = useState('');
  const [metric, setMetric] = useState('val_accuracy');
  const [expected, setExpected] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    lab?.listRuns().then(
      (list) => setRuns(list.filter((r) => FINISHED.has(r.state))),
      (e: Error) => setError(e.message),
    );
  }, [lab]);
  const existing = useMemo(() => new Set(store.state.list?.saved.map((s) => s.id) ?? []), [store]);
  const problem = saveProblem(title, picked.length);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const save = () => {
    if (problem || busy) return;
    setBusy(true);
    setError(null);
    const names = new Map(runs?.map((r) => [r.id, r.name]));
    store
      .save({ title: title.trim(), runs: picked.map((runId) => ({ runId, name: names.get(runId) ?? runId })), metric, ...(expected && picked.includes(expected) ? { expectedBest: expected } : {}) })
      .then(
        (saved) => {
          manager.ctx.toast(`Saved “${saved.title}”.`, 'success');
          onClose();
          store.open({ kind: 'saved', id: saved.id });
        },
        (e: Error) => setError(e.message),
      )
      .finally(() => setBusy(false));
  };
  const slug = slugify(title);
  return (
    <Modal
      title="Save experiment from runs"
      onClose={onClose}
      width={640}
      testId="exp-save-dialog"
      footer={
        <>
          {problem && <span className="muted exp-save-hint">{problem}</span>}
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" onClick={save} disabled={!!problem || busy} data-testid="exp-save-confirm">
            Save
          </button>
        </>
      }
    >
      <div className="exp-save">
        <label className="exp-save-row">
          <span className="tp-label">Title</span>
          <input className="input" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. Dropout 0.3 vs none" data-autofocus data-testid="exp-save-title" maxLength={200} />
        </label>
        {title.trim() && existing.has(slug) && <div className="muted exp-save-note">Replaces the saved experiment “{slug}”.</div>}
        <label className="exp-save-row">
          <span className="tp-label">Compare on</span>
          <select className="input" value={metric} onChange={(e) => setMetric(e.target.value)} data-testid="exp-save-metric">
            {RUN_METRICS.map((m) => (
              <option key={m.key} value={m.key}>
                {m.label} ({m.better} is better)
              </option>
            ))}
          </select>
        </label>
        <label className="exp-save-row">
          <span className="tp-label">Expected best</span>
          <select className="input" value={expected} onChange={(e) => setExpected(e.target.value)} data-testid="exp-save-expected">
            <option value="">— no claim, just rank them —</option>
            {picked.map((id) => (
              <option key={id} value={id}>
                {runs?.find((r) => r.id === id)?.name ?? id}
              </option>
            ))}
          </select>
        </label>
        <div className="tp-sub">Runs (two or more)</div>
        <div className="exp-save-runs" data-testid="exp-save-runs">
          {runs === null && !error && <div className="muted exp-pad">Loading runs…</div>}
          {runs?.length === 0 && <div className="muted exp-pad">No finished run yet.</div>}
          {runs?.map((r) => {
            const i = picked.indexOf(r.id);
            return (
              <label key={r.id} className={`exp-save-run ${i >= 0 ? 'on' : ''}`} data-testid="exp-save-run" data-run={r.id}>
                <input type="checkbox" checked={i >= 0} onChange={() => toggle(r.id)} />
                <span className="legend-swatch" style={{ background: i >= 0 ? seriesColor(i) : 'transparent' }} />
                <span className="exp-save-run-name" title={r.id}>
                  {r.name}
                </span>
                <span className="muted">{r.dataset}</span>
                <span className="mono">{r.metrics?.val_accuracy !== undefined ? pct(r.metrics.val_accuracy) : ''}</span>
                <span className={`pill state-${r.state}`}>{r.state}</span>
              </label>
            );
          })}
        </div>
        {error && <div className="field-error inline">{error}</div>}
      </div>
    </Modal>
  );
}
