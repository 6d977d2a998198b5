import { useMemo, useState } from 'react';
import { networkPicture } from '../../shared/graph/picture';
import { useEditorState } from '../app/context';
import { Icon } from '../app/Icon';
import { Modal } from '../app/Modal';
import { analysisOf } from '../core/analysis';
import { slug } from '../core/project';
import { downloadBlob, svgToPng } from './download';
import './export.css';

/** A preview of the picture of the graph being edited, saved as SVG or as PNG (drawn at 2×). */
export function PictureDialog({ onClose }: { onClose(): void }) {
  const doc = useEditorState((s) => s.doc);
  const [dark, setDark] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const picture = useMemo(() => networkPicture(doc, analysisOf(doc).analysis, { theme: dark ? 'dark' : 'light' }), [doc, dark]);
  const url = useMemo(() => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(picture.svg)}`, [picture]);
  const base = `${slug(doc.meta.name)}-network`;
  const png = async () => {
    setBusy(true);
    setError(null);
    try {
      downloadBlob(`${base}.png`, await svgToPng(picture.svg, picture.width, picture.height, 2));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      title="Network picture"
      onClose={onClose}
      width={720}
      testId="picture-dialog"
      footer={
        <>
          <label className="export-chip">
            <input type="checkbox" checked={dark} onChange={(e) => setDark(e.target.checked)} data-testid="picture-dark" /> Dark background
          </label>
          <span className="muted small">
            {picture.width}×{picture.height} px
          </span>
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Close
          </button>
          <button className="btn" data-testid="picture-png" disabled={busy} onClick={() => void png()}>
            <Icon name="download" size={13} /> PNG (2×)
          </button>
          <button className="btn primary" data-testid="picture-svg" onClick={() => downloadBlob(`${base}.svg`, new Blob([picture.svg], { type: 'image/svg+xml' }))}>
            <Icon name="download" size={13} /> SVG
          </button>
        </>
      }
    >
      {error && (
        <div className="export-error" role="alert">
          {error}
        </div>
      )}
      <div className={`picture-preview ${dark ? 'dark' : ''}`} data-testid="picture-preview">
        <img src={url} width={picture.width} height={picture.height} alt={`The network ${doc.meta.name}`} />
      </div>
    </Modal>
  );
}
