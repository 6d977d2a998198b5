import { useMemo, useRef, useState } from 'react';
import { LabError, MAX_WEIGHTS_UPLOAD_BYTES, type LabArgs } from '../../shared/api';
import { TORCHVISION_TEMPLATES, torchvisionLayoutOf } from '../../shared/templates/torchvision';
import { templateById } from '../../shared/templates';
import { notATorchCheckpoint, TORCH_WEIGHT_FILE } from '../../shared/weightFiles';
import { formatBytes } from '../core/format';
import type { LabClient } from '../transport/client';
import { useEditor, useEditorState } from './context';
import { Modal } from './Modal';

const TORCHVISION_NAMES = Object.keys(TORCHVISION_TEMPLATES)
  .map((id) => templateById(id)?.name ?? id)
  .join(', ');

type Source = LabArgs<'importWeights'>['source'];

/**
 * Load weights…: a PyTorch checkpoint from this computer (uploaded to the browser host, or the native open dialog
 * in the app), torchvision's ImageNet weights (through torchvision's cache on the host), or a folder on the host.
 * Files and ImageNet weights need a graph with torchvision's layout: they are imported into a new model folder first.
 */
export function LoadWeightsDialog({ onClose }: { onClose(): void }) {
  const { lab, manager } = useEditor();
  const client = lab as (LabClient & Partial<Pick<LabClient, 'uploadFile' | 'pickWeightsFile'>>) | null;
  const doc = useEditorState((s) => s.doc);
  const layout = useMemo(() => torchvisionLayoutOf(doc), [doc]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; offline: boolean } | null>(null);
  const [path, setPath] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const canPick = Boolean(client?.pickWeightsFile ?? client?.uploadFile);

  const fail = (err: unknown): void => {
    const code = err instanceof LabError ? err.code : '';
    setError({ message: err instanceof Error ? err.message : String(err), offline: code === 'offline' || code === 'unavailable' });
  };

  /** Runs the graph from a weights folder; the action closes the dialog (and reports its own failure). */
  const use = async (folder: string): Promise<void> => {
    const r = await manager.execute('file.loadWeights', { path: folder }, 'ui');
    if (!r.ok && r.reason === 'error') fail(r.error);
  };

  const importInto = async (source: Source, what: string): Promise<void> => {
    if (!lab || !layout) return;
    setBusy(what);
    setError(null);
    try {
      const w = await lab.importWeights({ template: layout.template, source });
      await use(w.from);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(null);
    }
  };

  const upload = async (file: File): Promise<void> => {
    setError(null);
    if (!TORCH_WEIGHT_FILE.test(file.name)) return fail(new Error(notATorchCheckpoint(file.name)));
    if (file.size === 0) return fail(new Error(`${file.name} is empty`));
    if (file.size > MAX_WEIGHTS_UPLOAD_BYTES) return fail(new Error(`${file.name} is ${formatBytes(file.size)}: too large to upload (the limit is ${formatBytes(MAX_WEIGHTS_UPLOAD_BYTES)}). Put it on the host and type its path below.`));
    if (!client?.uploadFile) return;
    setBusy(`Uploading ${file.name}…`);
    let id: string;
    try {
      ({ id } = await client.uploadFile(file.name, file, (f) => setBusy(`Uploading ${file.name}… ${Math.round(f * 100)}%`)));
    } catch (err) {
      setBusy(null);
      return fail(err);
    }
    await importInto({ kind: 'upload', id }, `Importing ${file.name} into ${layout?.name}…`);
  };

  const chooseFile = async (): Promise<void> => {
    if (client?.pickWeightsFile) {
      const picked = await client.pickWeightsFile().catch((err: unknown) => (fail(err), null));
      if (picked) await importInto({ kind: 'path', path: picked }, `Importing ${picked} into ${layout?.name}…`);
    } else input.current?.click();
  };

  const loadPath = async (): Promise<void> => {
    const p = path.trim();
    if (!p) return;
    setError(null);
    if (!TORCH_WEIGHT_FILE.test(p)) return use(p);
    if (!layout) return fail(new Error(`PyTorch files are imported into a graph with torchvision's layout (${TORCHVISION_NAMES}); this graph takes a weights folder`));
    await importInto({ kind: 'path', path: p }, `Importing ${p} into ${layout.name}…`);
  };

  return (
    <Modal
      title="Load weights"
      onClose={onClose}
      width={600}
      testId="load-weights-dialog"
      footer={
        <>
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
        </>
      }
    >
      <p className="hint weights-lead">The next run of this graph starts from these weights, matched by block name and shape (a head with another class count starts fresh).</p>
      {layout ? (
        <div className="weights-choices">
          <div className="weights-choice">
            <button className={`btn ${error?.offline ? 'primary' : ''}`} data-testid="weights-choose-file" disabled={!canPick || busy !== null} onClick={() => void chooseFile()}>
              Choose a file…
            </button>
            <span className="hint">
              A torchvision {layout.torchvision} state dict: .pth, .pt or .safetensors{client?.uploadFile ? `, up to ${formatBytes(MAX_WEIGHTS_UPLOAD_BYTES)} (uploaded to the host)` : ''}.
            </span>
          </div>
          <div className="weights-choice">
            <button className="btn" data-testid="weights-imagenet" disabled={busy !== null} onClick={() => void importInto({ kind: 'imagenet' }, `Fetching torchvision's ImageNet weights for ${layout.torchvision}…`)}>
              ImageNet weights
            </button>
            <span className="hint">torchvision's pretrained {layout.torchvision}, through torchvision's cache on the host (Python with torchvision; downloaded once, then offline).</span>
          </div>
        </div>
      ) : (
        <p className="hint" data-testid="weights-no-torchvision">
          PyTorch files and ImageNet weights load into graphs with torchvision's layout ({TORCHVISION_NAMES}). This graph takes a folder on the host.
        </p>
      )}
      <input ref={input} type="file" accept=".pth,.pt,.safetensors" data-testid="weights-file-input" style={{ display: 'none' }} onChange={(e) => {
        const f = e.target.files?.[0];
        e.target.value = '';
        if (f) void upload(f);
      }} />
      <label className="weights-path-label" htmlFor="weights-path">
        Or a path on the host: a model folder, a run folder, a checkpoint folder{layout ? ' or a .pth/.safetensors file' : ''}
      </label>
      <div className="weights-path-row">
        <input
          id="weights-path"
          className="mono"
          data-testid="weights-path"
          value={path}
          placeholder={layout ? '~/weights/resnet18.pth or ~/Netsmith/models/…' : '~/Netsmith/models/… or a run folder'}
          onChange={(e) => setPath(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void loadPath();
          }}
        />
        <button className="btn" data-testid="weights-path-load" disabled={!path.trim() || busy !== null} onClick={() => void loadPath()}>
          Load
        </button>
      </div>
      {busy && (
        <p className="hint" data-testid="weights-busy" role="status">
          {busy}
        </p>
      )}
      {error && (
        <div className={`weights-error ${error.offline ? 'offline' : ''}`} data-testid="weights-error" role="alert">
          {error.message}
        </div>
      )}
    </Modal>
  );
}
