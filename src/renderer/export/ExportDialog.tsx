import { useEffect, useMemo, useState } from 'react';
import { type ExportFormat, type ExportResult, type HostInfo, type RunSummary } from '../../shared/api';
import { useEditor } from '../app/context';
import { Icon } from '../app/Icon';
import { Modal } from '../app/Modal';
import { useTelemetryStore } from '../telemetry/react';
import { base64Bytes, downloadBlob, formatSize, mimeOf } from './download';
import { exportZip } from './exportZip';
import './export.css';

const FORMATS: Record<ExportFormat, { label: string; line: string; contains: string; weights: boolean; fuse: boolean }> = {
  onnx: { label: 'ONNX', line: 'Run it with onnxruntime, or convert it for TensorRT, OpenVINO or Core ML.', contains: 'model.onnx (opset 17, with class names and preprocessing in its metadata) · labels.txt · model-info.json · README.md', weights: true, fuse: true },
  pytorch: { label: 'PyTorch', line: 'An nn.Module with the trained weights, and a script to keep training.', contains: 'model.py · weights.safetensors · train.py · labels.txt · model-info.json · README.md', weights: true, fuse: true },
  tfjs: { label: 'TF.js', line: 'Load it with tf.loadLayersModel in a web page or in Node.', contains: 'model.json · weights.bin · netsmith-layers.js · labels.txt · model-info.json · README.md', weights: true, fuse: false },
  graph: { label: 'Graph + picture', line: 'The network itself, no weights: reopen it in Netsmith or put the picture in a report.', contains: 'project.json · network.svg', weights: false, fuse: false },
};
const ORDER: ExportFormat[] = ['onnx', 'pytorch', 'tfjs', 'graph'];

/** The run to preselect: the one asked for, else the one on the dashboards, else the newest completed one. */
function defaultRun(runs: RunSummary[], wanted: string | undefined, selected: string | null): string {
  const has = (id: string | null | undefined): id is string => !!id && runs.some((r) => r.id === id);
  if (has(wanted)) return wanted;
  if (has(selected)) return selected;
  const done = runs.filter((r) => r.state === 'completed').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return done[0]?.id ?? runs[0]?.id ?? '';
}

/** Export a run: format, checkpoint, Conv+BN folding; the result (files and sizes) or the exporter's message. */
export function ExportDialog({ runId, onClose }: { runId?: string; onClose(): void }) {
  const { lab } = useEditor();
  const telemetry = useTelemetryStore();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [host, setHost] = useState<HostInfo | null>(null);
  const [run, setRun] = useState('');
  const [format, setFormat] = useState<ExportFormat>('onnx');
  const [checkpoint, setCheckpoint] = useState<'best' | 'last'>('best');
  const [fuse, setFuse] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(lab ? null : 'No host connection: exports need the Netsmith host.');

  useEffect(() => {
    if (!lab) return;
    let live = true;
    lab.listRuns().then(
      (list) => {
        if (!live) return;
        setRuns(list);
        setRun(defaultRun(list, runId, telemetry.selected));
      },
      (e: Error) => live && setError(e.message),
    );
    lab.hostInfo().then((h) => live && setHost(h), () => undefined);
    return () => {
      live = false;
    };
  }, [lab, runId, telemetry]);

  const spec = FORMATS[format];
  const summary = useMemo(() => runs?.find((r) => r.id === run), [runs, run]);
  const electron = host?.kind === 'electron';

  const go = async () => {
    if (!lab || !run) return;
    setBusy(true);
    setResult(null);
    setError(null);
    try {
      const r = await lab.exportRun({ id: run, format, ...(spec.weights ? { checkpoint } : {}), ...(spec.fuse && fuse ? { fuseBatchNorm: true } : {}) });
      if (!r.cancelled) setResult(r);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const save = (f: ExportResult['files'][number]) => f.data !== undefined && downloadBlob(f.name, new Blob([base64Bytes(f.data)], { type: mimeOf(f.name) }));
  const saveAll = (r: ExportResult) => {
    const zip = exportZip(r, run, base64Bytes);
    downloadBlob(zip.name, new Blob([zip.bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
  };

  return (
    <Modal
      title="Export model"
      onClose={onClose}
      width={620}
      testId="export-dialog"
      footer={
        <>
          <span className="muted small export-dest" data-testid="export-destination">
            {electron ? 'You choose the folder when you export.' : `Written to runs/${run || '<run>'}/exports/ on the host, then offered for download.`}
          </span>
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Close
          </button>
          <button className="btn primary" data-testid="export-go" disabled={!lab || !run || busy} onClick={() => void go()}>
            {busy ? 'Exporting…' : electron ? 'Export to folder…' : 'Export'}
          </button>
        </>
      }
    >
      <div className="export-grid">
        <label className="block-label-text" htmlFor="export-run">
          Run
        </label>
        <select id="export-run" className="input wide" data-testid="export-run" value={run} disabled={!runs?.length} onChange={(e) => { setRun(e.target.value); setResult(null); setError(null); }}>
          {!runs && <option value="">Loading…</option>}
          {runs?.length === 0 && <option value="">No run yet</option>}
          {runs?.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} — {r.state}, epoch {r.epoch}/{r.epochs}, {r.dataset}
            </option>
          ))}
        </select>

        <span className="block-label-text">Format</span>
        <div className="export-formats" role="radiogroup" aria-label="Format">
          {ORDER.map((f) => (
            <label key={f} className={`export-format ${format === f ? 'on' : ''}`} data-testid={`export-format-${f}`}>
              <input type="radio" name="export-format" value={f} checked={format === f} onChange={() => { setFormat(f); setResult(null); setError(null); }} />
              <span className="export-format-text">
                <b>{FORMATS[f].label}</b> <span className="muted">{FORMATS[f].line}</span>
                <span className="export-contains mono">{FORMATS[f].contains}</span>
              </span>
            </label>
          ))}
        </div>

        <span className="block-label-text">Checkpoint</span>
        <div className="export-row">
          {(['best', 'last'] as const).map((c) => (
            <label key={c} className={`export-chip ${!spec.weights ? 'off' : ''}`}>
              <input type="radio" name="export-checkpoint" value={c} checked={checkpoint === c} disabled={!spec.weights} onChange={() => setCheckpoint(c)} data-testid={`export-checkpoint-${c}`} />
              {c === 'best' ? 'Best epoch' : 'Last saved'}
            </label>
          ))}
          {!spec.weights && <span className="muted small">not needed: no weights</span>}
        </div>

        <span className="block-label-text">Options</span>
        <label className={`export-chip ${!spec.fuse ? 'off' : ''}`} title="Fold each BatchNorm into the convolution before it: fewer nodes, same outputs (inference only).">
          <input type="checkbox" checked={fuse && spec.fuse} disabled={!spec.fuse} onChange={(e) => setFuse(e.target.checked)} data-testid="export-fuse" />
          Fuse Conv+BN <span className="muted small">{spec.fuse ? 'fold BatchNorm into the convolution before it' : `(ONNX and PyTorch only)`}</span>
        </label>
      </div>

      {summary && summary.state !== 'completed' && spec.weights && (
        <p className="muted small export-note">This run is {summary.state}: the export uses its latest saved checkpoint, if it has one.</p>
      )}

      {busy && (
        <div className="export-progress" data-testid="export-progress">
          <span className="export-spinner" /> Exporting {FORMATS[format].label}…
        </div>
      )}
      {error && (
        <div className="export-error" role="alert" data-testid="export-error">
          <Icon name="close" size={12} /> {error}
        </div>
      )}
      {result && (
        <div className="export-result" data-testid="export-result">
          <div className="export-result-head">
            Exported {FORMATS[result.format].label}
            {result.checkpoint ? ` (checkpoint ${result.checkpoint})` : ''} to <span className="mono">{result.dir}</span>
          </div>
          <table className="export-files" data-testid="export-files">
            <tbody>
              {result.files.map((f) => (
                <tr key={f.name} data-testid="export-file" data-name={f.name}>
                  <td className="mono">{f.name}</td>
                  <td className="mono muted export-size">{formatSize(f.size)}</td>
                  <td>
                    {f.data !== undefined && (
                      <button className="btn small-btn" onClick={() => save(f)} data-testid="export-file-download">
                        <Icon name="download" size={12} /> Download
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {!electron && result.files.some((f) => f.data === undefined) && <p className="muted small">Too large to send to the browser: the files stay in the folder above.</p>}
          {result.files.filter((f) => f.data !== undefined).length > 1 && (
            <button className="btn" onClick={() => saveAll(result)} data-testid="export-download-all" title={`One zip: ${run}-${result.format}/ with every file above`}>
              <Icon name="download" size={13} /> Download all (.zip)
            </button>
          )}
        </div>
      )}
    </Modal>
  );
}
