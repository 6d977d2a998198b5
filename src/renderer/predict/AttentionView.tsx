import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { AttentionMaps } from '../../shared/attention';
import { useEditor } from '../app/context';
import { Empty } from '../dashboards/chartKit';
import { attentionQuery } from './attentionWording';
import './attention.css';

export interface AttentionViewProps {
  runId: string;
  /** The image to inspect: an uploaded PNG/JPEG (data URL) or a validation sample of the run's dataset. */
  image: { dataUrl?: string; sampleIndex?: number };
  /** Told whose attention the maps show once they arrive (the card's subtitle follows it). */
  onQuery?(query: AttentionMaps['query'] | undefined): void;
}

/** The maps for a run and image; a newer request supersedes an older one. */
function useAttention(runId: string, dataUrl: string | undefined, sampleIndex: number | undefined) {
  const { lab } = useEditor();
  const [state, setState] = useState<{ maps: AttentionMaps | null; error: string | null; busy: boolean }>({ maps: null, error: null, busy: false });
  const seq = useRef(0);
  useEffect(() => {
    if (!lab || (dataUrl === undefined && sampleIndex === undefined)) return;
    const n = ++seq.current;
    setState((s) => ({ ...s, busy: true, error: null }));
    lab.attentionMaps({ id: runId, image: sampleIndex !== undefined ? { sampleIndex } : { dataUrl } }).then(
      (maps) => n === seq.current && setState({ maps, error: null, busy: false }),
      (e: Error) => n === seq.current && setState({ maps: null, error: e.message, busy: false }),
    );
  }, [lab, runId, dataUrl, sampleIndex]);
  return lab ? state : { maps: null, error: 'Not connected to a host.', busy: false };
}

/** Jet colour map (as the Grad-CAM view), t in 0..1. */
function jet(t: number): [number, number, number] {
  const c = (x: number) => Math.round(255 * Math.min(1, Math.max(0, x)));
  return [c(1.5 - Math.abs(4 * t - 3)), c(1.5 - Math.abs(4 * t - 2)), c(1.5 - Math.abs(4 * t - 1))];
}

/** A map normalised to its own maximum, drawn as a gw×gh canvas that CSS scales up (smoothly) over the image. */
const Heat = memo(function Heat({ map, size, opacity, testId }: { map: number[][]; size: number; opacity: number; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const rows = map.length;
  const cols = map[0]?.length ?? 0;
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx || !rows || !cols) return;
    const max = Math.max(1e-12, ...map.flat());
    const img = ctx.createImageData(cols, rows);
    map.forEach((row, y) =>
      row.forEach((v, x) => {
        const [r, g, b] = jet(Math.max(0, v) / max);
        img.data.set([r, g, b, 255], (y * cols + x) * 4);
      }),
    );
    ctx.putImageData(img, 0, 0);
  }, [map, rows, cols]);
  return <canvas ref={ref} width={cols} height={rows} className="attn-heat" style={{ width: size, height: size, opacity }} data-testid={testId} />;
});

function Overlay({ image, map, size, opacity, testId }: { image: string; map: number[][]; size: number; opacity: number; testId?: string }) {
  return (
    <div className="attn-figure" style={{ width: size, height: size }}>
      <img src={image} alt="input" width={size} height={size} />
      <Heat map={map} size={size} opacity={opacity} testId={testId} />
    </div>
  );
}

const meanOf = (heads: number[][][]): number[][] => heads[0].map((row, y) => row.map((_, x) => heads.reduce((s, h) => s + h[y][x], 0) / heads.length));

/**
 * Attention maps of a trained transformer for one image: for a chosen encoder layer and head (or the mean of the
 * heads), how much the class token attends to each patch, over the image; or the attention rollout through all
 * layers. A grid shows every head of the layer.
 */
export function AttentionView({ runId, image, onQuery }: AttentionViewProps) {
  const { maps, error, busy } = useAttention(runId, image.dataUrl, image.sampleIndex);
  const queryKind = maps?.query;
  useEffect(() => onQuery?.(queryKind), [queryKind, onQuery]);
  const [layer, setLayer] = useState<number | null>(null);
  const [head, setHead] = useState<'mean' | number>('mean');
  const [rollout, setRollout] = useState(false);
  const [opacity, setOpacity] = useState(0.6);

  const layers = maps?.layers ?? [];
  const li = layer !== null && layer < layers.length ? layer : layers.length - 1;
  const current = layers[li];
  const headCount = current?.heads.length ?? 0;
  const h = head === 'mean' || head < headCount ? head : 'mean';
  const mean = useMemo(() => (current ? meanOf(current.heads) : null), [current]);
  const shown = rollout ? maps?.rollout : h === 'mean' ? mean : current?.heads[h];

  if (image.dataUrl === undefined && image.sampleIndex === undefined) return <Empty height={120}>Pick an image to see where the attention goes.</Empty>;
  if (error) return <div className="field-error attn-error" data-testid="attention-error">{error}</div>;
  if (!maps || !current || !shown) return <Empty height={120}>{busy ? 'Computing attention…' : 'No attention maps.'}</Empty>;

  const query = attentionQuery(maps.query);
  const what = rollout
    ? `Rollout through ${maps.layerCount} layer${maps.layerCount === 1 ? '' : 's'}: per layer the mean of the heads plus the identity (the residual path), rows renormalised, multiplied through the layers (Abnar & Zuidema 2020).`
    : `Attention from ${query} over the ${maps.grid[0]}×${maps.grid[1]} patches in ${current.name}, ${h === 'mean' ? 'mean of the heads' : `head ${h + 1}`}: softmax(QKᵀ/√d).`;
  return (
    <div className="attn-view" data-testid="attention-view" data-busy={busy ? '1' : '0'}>
      <div className="attn-controls">
        <label className="attn-field">
          <span className="muted">layer</span>
          <select value={li} onChange={(e) => setLayer(Number(e.target.value))} disabled={rollout} data-testid="attention-layer">
            {layers.map((l) => (
              <option key={l.index} value={l.index}>
                {l.index + 1}. {l.name}
              </option>
            ))}
          </select>
        </label>
        <label className="attn-field">
          <span className="muted">head</span>
          <select value={String(h)} onChange={(e) => setHead(e.target.value === 'mean' ? 'mean' : Number(e.target.value))} disabled={rollout} data-testid="attention-head">
            <option value="mean">mean of heads</option>
            {current.heads.map((_, k) => (
              <option key={k} value={k}>
                head {k + 1}
              </option>
            ))}
          </select>
        </label>
        <label className="attn-field attn-check" title="Attention rollout: how the class token's attention flows to the patches through all layers, residuals included">
          <input type="checkbox" checked={rollout} onChange={(e) => setRollout(e.target.checked)} data-testid="attention-rollout" />
          rollout
        </label>
        <label className="attn-field">
          <span className="muted">opacity</span>
          <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} data-testid="attention-opacity" />
        </label>
      </div>
      <div className="attn-main">
        <Overlay image={maps.image} map={shown} size={224} opacity={opacity} testId="attention-heat" />
        <div className="attn-side">
          <p className="attn-help muted">{what}</p>
          <div className="attn-scale">
            <span className="muted">low</span>
            <span className="attn-jet" />
            <span className="muted">high (each map scaled to its maximum)</span>
          </div>
          {maps.predicted !== undefined && (
            <div className="attn-pred">
              predicted <b>{maps.classes?.[maps.predicted] ?? maps.predicted}</b>
              {maps.label !== undefined && (
                <>
                  {' '}
                  · true <b>{maps.classes?.[maps.label] ?? maps.label}</b>
                </>
              )}
            </div>
          )}
          <div className="muted attn-small">checkpoint {maps.checkpoint}</div>
        </div>
      </div>
      <div className="attn-heads-title muted">All heads of {current.name}</div>
      <div className="attn-heads" data-testid="attention-heads">
        {mean && (
          <button className={`attn-tile ${!rollout && h === 'mean' ? 'on' : ''}`} onClick={() => (setHead('mean'), setRollout(false))} title="mean of the heads">
            <Overlay image={maps.image} map={mean} size={72} opacity={opacity} />
            <span>mean</span>
          </button>
        )}
        {current.heads.map((m, k) => (
          <button key={k} className={`attn-tile ${!rollout && h === k ? 'on' : ''}`} onClick={() => (setHead(k), setRollout(false))} data-testid={`attention-head-${k}`}>
            <Overlay image={maps.image} map={m} size={72} opacity={opacity} />
            <span>head {k + 1}</span>
          </button>
        ))}
      </div>
    </div>
  );
}
