import { analysisOf } from '../core/analysis';
import { formatBytes, formatCount, formatFlops } from '../core/format';
import { isDirty } from '../core/state';
import { RunStatusItem } from '../dashboards/RunStatus';
import { useEditor, useEditorState, useRun } from './context';
import { Icon } from './Icon';

const BATCHES = [1, 8, 16, 32, 64, 128, 256, 512];

/** Totals (params, FLOPs, activation memory at a batch size), problem counts, host and run status. */
export function StatusBar({ host }: { host: string }) {
  const run = useRun();
  const { lab } = useEditor();
  const doc = useEditorState((s) => s.doc);
  const dirty = useEditorState(isDirty);
  const path = useEditorState((s) => s.path);
  const batch = useEditorState((s) => s.prefs.batchSize);
  const view = analysisOf(doc);
  const t = view.analysis.totals;
  // float32 activations kept for the backward pass, plus the input batch.
  const mem = (t.activations + doc.meta.input.shape.reduce((a, b) => a * b, 1)) * 4 * batch;
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className="status-item" title={lab ? 'Connected to the host' : 'No host connection'}>
        <span className={`dot ${lab ? 'ok' : 'off'}`} />
        {host}
      </span>
      <span className="status-item path" data-testid="status-path" title={path ?? 'Not saved yet'}>
        {path ?? 'unsaved'}
        {dirty && <span className="dirty" data-testid="dirty-marker"> ●</span>}
      </span>
      <span className="spacer" />
      <span className="status-item" title="Trainable parameters (+ non-trainable buffers such as BN running statistics)">
        Params <b data-testid="total-params">{formatCount(t.params)}</b>
        {t.buffers > 0 && <span className="muted"> +{formatCount(t.buffers)}</span>}
      </span>
      <span className="status-item" title="FLOPs per sample (2 × multiply-accumulates)">
        <b data-testid="total-flops">{formatFlops(t.flops)}</b>
      </span>
      <span className="status-item" title="float32 activations kept for backprop, for the chosen batch size">
        Act. <b data-testid="total-memory">{formatBytes(mem)}</b> @
        <select className="batch-select" value={batch} data-testid="batch-size" onChange={(e) => run('view.batchSize', { batchSize: Number(e.target.value) })}>
          {[...new Set([...BATCHES, batch])].sort((a, b) => a - b).map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </span>
      <button className={`status-item status-btn ${view.errors ? 'err' : ''}`} data-testid="status-problems" onClick={() => run('view.problems')} title="Show the problems panel">
        <Icon name="error" size={12} /> <span data-testid="error-count">{view.errors}</span>
        <Icon name="warning" size={12} /> <span data-testid="warning-count">{view.warnings}</span>
      </button>
      <RunStatusItem />
    </footer>
  );
}
