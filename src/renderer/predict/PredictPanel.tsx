import { memo, useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { SampleImages } from '../../shared/api';
import type { PredictArgs, PredictBox, PredictResult } from '../../shared/predict';
import { useEditor } from '../app/context';
import { Icon } from '../app/Icon';
import { Card, Empty, pct } from '../dashboards/chartKit';
import { boxColor, readImageFile, SAMPLE_COUNT, type PredictImage } from './predictInput';
import { AttentionView } from './AttentionView';
import { attentionSubtitle } from './attentionWording';
import './predict.css';

/** The prediction for the current image and settings; a new request supersedes an older one. */
function usePrediction(runId: string, image: PredictImage | null, opts: { classIndex?: number; gradcamLayer?: string; layer?: string }) {
  const { lab } = useEditor();
  const [state, setState] = useState<{ result: PredictResult | null; error: string | null; busy: boolean }>({ result: null, error: null, busy: false });
  const seq = useRef(0);
  const { classIndex, gradcamLayer, layer } = opts;
  useEffect(() => {
    if (!image || !lab) return;
    const n = ++seq.current;
    setState((s) => ({ ...s, busy: true, error: null }));
    const args: PredictArgs = {
      id: runId,
      image: image.sampleIndex !== undefined ? { sampleIndex: image.sampleIndex } : { dataUrl: image.dataUrl, name: image.name },
      ...(classIndex !== undefined ? { classIndex } : {}),
      ...(gradcamLayer ? { gradcamLayer } : {}),
      ...(layer ? { layer } : {}),
    };
    lab.predict(args).then(
      (result) => n === seq.current && setState({ result, error: null, busy: false }),
      (e: Error) => n === seq.current && setState({ result: null, error: e.message, busy: false }),
    );
  }, [lab, runId, image, classIndex, gradcamLayer, layer]);
  return state;
}

/** Thumbnails of the run's first validation images. */
function useValSamples(runId: string): SampleImages['images'] | null {
  const { lab } = useEditor();
  const [images, setImages] = useState<SampleImages['images'] | null>(null);
  useEffect(() => {
    let cancelled = false;
    setImages(null);
    lab?.runSamples({ id: runId, indices: Array.from({ length: SAMPLE_COUNT }, (_, i) => i) }).then(
      (r) => !cancelled && setImages(r.images),
      () => !cancelled && setImages([]),
    );
    return () => {
      cancelled = true;
    };
  }, [lab, runId]);
  return images;
}

function ImagePicker({ runId, image, onPick, onError }: { runId: string; image: PredictImage | null; onPick(i: PredictImage): void; onError(m: string): void }) {
  const samples = useValSamples(runId);
  const [over, setOver] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const take = useCallback(
    (files: FileList | null | undefined) => {
      const file = files?.[0];
      if (!file) return;
      readImageFile(file).then(onPick, (e: Error) => onError(e.message));
    },
    [onPick, onError],
  );
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files);
  };
  return (
    <div className="pred-input">
      <div
        className={`pred-drop ${over ? 'over' : ''}`}
        data-testid="predict-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        onClick={() => fileRef.current?.click()}
        role="button"
        tabIndex={0}
        onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && fileRef.current?.click()}
      >
        <Icon name="download" size={18} />
        <span>
          Drop a PNG or JPEG here, or <u>choose a file</u>
        </span>
        <span className="muted">any size: it is resized to the network's input as the training images were</span>
      </div>
      <input ref={fileRef} type="file" accept="image/png,image/jpeg,.png,.jpg,.jpeg" hidden data-testid="predict-file" onChange={(e) => (take(e.target.files), (e.target.value = ''))} />
      <div className="pred-samples-head muted">or a validation image</div>
      <div className="pred-samples" data-testid="predict-samples">
        {samples === null && <span className="muted">Loading…</span>}
        {samples?.map((s) => (
          <button key={s.index} className={`pred-sample ${image?.sampleIndex === s.index ? 'on' : ''}`} title={`validation image ${s.index}`} onClick={() => onPick({ sampleIndex: s.index, name: `validation #${s.index}` })} data-testid="predict-sample">
            <img src={s.image} alt={`validation ${s.index}`} />
          </button>
        ))}
      </div>
    </div>
  );
}

function TopBars({ result }: { result: PredictResult }) {
  const truth = result.source.label;
  return (
    <div className="pred-top" data-testid="predict-top">
      {result.top!.map((c, i) => (
        <div key={c.index} className={`pred-row ${i === 0 ? 'first' : ''}`} data-testid="predict-row" title={`${c.name}: ${pct(c.probability, 2)}`}>
          <span className="pred-name">
            {c.name}
            {truth === c.index && <span className="pred-truth"> ✓ true</span>}
          </span>
          <span className="pred-bar">
            <span style={{ width: `${Math.max(0.5, c.probability * 100)}%` }} />
          </span>
          <span className="pred-p mono">{pct(c.probability, 1)}</span>
        </div>
      ))}
    </div>
  );
}

function Boxes({ boxes, width, height }: { boxes: PredictBox[]; width: number; height: number }) {
  return (
    <svg className="pred-boxes" viewBox={`0 0 ${width} ${height}`} data-testid="predict-boxes">
      {boxes.map((b, i) => {
        const [cx, cy, w, h] = b.box;
        const x = (cx - w / 2) * width;
        const y = (cy - h / 2) * height;
        const color = boxColor(b.cls);
        return (
          <g key={i}>
            <rect x={x} y={y} width={w * width} height={h * height} fill="none" stroke={color} strokeWidth={2} />
            <text x={x + 2} y={Math.max(10, y - 3)} fill={color} fontSize={11} fontWeight={600}>
              {b.name} {b.score.toFixed(2)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function PredictionCard({ result }: { result: PredictResult }) {
  const { display } = result;
  const src = result.source;
  const info = src.sampleIndex !== undefined ? `validation #${src.sampleIndex}${src.labelName ? ` · true: ${src.labelName}` : ''}` : `${src.name ?? 'image'} · ${src.width}×${src.height} → ${result.inputShape.join('×')}`;
  return (
    <Card title="Prediction" info={info} testId="predict-result">
      <div className="pred-result">
        <div className="pred-figure" style={{ width: display.width, height: display.height }}>
          <img src={result.mask ?? result.image} alt="input" width={display.width} height={display.height} data-testid="predict-image" />
          {result.boxes && <Boxes boxes={result.boxes} width={display.width} height={display.height} />}
        </div>
        <div className="pred-side">
          {result.task === 'classification' && result.top && <TopBars result={result} />}
          {result.task === 'segmentation' && result.top && (
            <>
              <div className="tp-sub">Classes by area</div>
              <TopBars result={result} />
            </>
          )}
          {result.boxes && (
            <div className="pred-box-list" data-testid="predict-box-list">
              {result.boxes.length === 0 ? (
                <span className="muted">No box scores {result.scoreThreshold} or more.</span>
              ) : (
                result.boxes.slice(0, 20).map((b, i) => (
                  <div key={i} className="pred-box-row" data-testid="predict-box">
                    <span className="legend-swatch" style={{ background: boxColor(b.cls) }} /> {b.name} <span className="mono muted">{b.score.toFixed(3)}</span>
                  </div>
                ))
              )}
              {result.boxes.length > 0 && <span className="muted pred-small">after NMS, score ≥ {result.scoreThreshold}</span>}
            </div>
          )}
          <div className="muted pred-small pred-meta">
            checkpoint {result.checkpoint} · {result.ms} ms
          </div>
        </div>
      </div>
    </Card>
  );
}

function LayerSelect({ value, layers, onChange, testId, label }: { value: string; layers: PredictResult['layers']; onChange(v: string): void; testId: string; label: string }) {
  return (
    <label className="pred-field">
      <span className="muted">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {layers.map((l) => (
          <option key={l.name} value={l.name}>
            {l.name} · {l.shape.join('×')}
          </option>
        ))}
      </select>
    </label>
  );
}

function GradCamCard({ result, onClass, onLayer }: { result: PredictResult; onClass(k: number): void; onLayer(l: string): void }) {
  const [opacity, setOpacity] = useState(0.5);
  const gc = result.gradcam;
  const { display } = result;
  return (
    <Card
      title="Grad-CAM"
      info={gc ? `where the evidence for '${gc.className}' is, at ${gc.layer} (${gc.rows}×${gc.cols})` : undefined}
      testId="predict-gradcam"
      right={
        gc && (
          <label className="pred-field">
            <span className="muted">class</span>
            <select value={gc.classIndex} onChange={(e) => onClass(Number(e.target.value))} data-testid="gradcam-class">
              {result.classes.map((c, i) => (
                <option key={i} value={i}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        )
      }
    >
      {!gc ? (
        <Empty height={80}>{result.gradcamNote}</Empty>
      ) : (
        <div className="pred-result">
          <div className="pred-figure" style={{ width: display.width, height: display.height }}>
            <img src={result.image} alt="input" width={display.width} height={display.height} />
            <img src={gc.heatmap} alt={`Grad-CAM of ${gc.className}`} className="pred-heat" style={{ opacity }} width={display.width} height={display.height} data-testid="gradcam-image" />
          </div>
          <div className="pred-side">
            <LayerSelect value={gc.layer} layers={result.layers} onChange={onLayer} testId="gradcam-layer" label="layer" />
            <label className="pred-field">
              <span className="muted">opacity</span>
              <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} data-testid="gradcam-opacity" />
            </label>
            <div className="pred-scale">
              <span className="muted pred-small">low</span>
              <span className="pred-jet" />
              <span className="muted pred-small">high</span>
            </div>
            {gc.note && <div className="dash-note warn">{gc.note}</div>}
            <p className="muted pred-small pred-help">Gradients of the class score with respect to the layer's maps, averaged per channel, weight the maps; the positive part of their sum is upsampled over the image (Selvaraju et al., 2017).</p>
          </div>
        </div>
      )}
    </Card>
  );
}

function FeatureMapsCard({ result, onLayer }: { result: PredictResult; onLayer(l: string): void }) {
  const fm = result.featureMaps;
  return (
    <Card
      title="Feature maps"
      info={fm ? `${fm.layer}: ${fm.shown} of ${fm.shape[2]} channels, ${fm.shape[0]}×${fm.shape[1]}, each scaled to its own min–max` : undefined}
      testId="predict-features"
      className="pred-wide"
      right={fm && <LayerSelect value={fm.layer} layers={result.layers} onChange={onLayer} testId="features-layer" label="layer" />}
    >
      {!fm ? <Empty height={80}>No spatial layer.</Empty> : <img className="pred-grid" src={fm.grid} alt={`feature maps of ${fm.layer}`} data-testid="features-image" />}
    </Card>
  );
}

/** Try a run's model: pick or drop an image, see its prediction, a Grad-CAM heatmap and a layer's feature maps. */
function PredictPanelView({ runId, runName, onClose }: { runId: string; runName?: string; onClose?(): void }) {
  const [image, setImage] = useState<PredictImage | null>(null);
  const [pickError, setPickError] = useState<string | null>(null);
  const [classIndex, setClassIndex] = useState<number | undefined>();
  const [gradcamLayer, setGradcamLayer] = useState<string | undefined>();
  const [layer, setLayer] = useState<string | undefined>();
  const [attnQuery, setAttnQuery] = useState<'cls' | 'mean' | undefined>();
  useEffect(() => {
    setImage(null);
    setGradcamLayer(undefined);
    setLayer(undefined);
    setClassIndex(undefined);
  }, [runId]);
  const pick = useCallback((i: PredictImage) => {
    setPickError(null);
    setClassIndex(undefined);
    setImage(i);
  }, []);
  const { result, error, busy } = usePrediction(runId, image, { classIndex, gradcamLayer, layer });
  return (
    <div className="pred-panel" data-testid="predict-panel">
      <div className="pred-head">
        <b>Predict</b>
        <span className="muted pred-run">{runName ?? runId}</span>
        {busy && <span className="muted">running…</span>}
        <span className="spacer" />
        {onClose && (
          <button className="icon-btn" onClick={onClose} title="Close" aria-label="Close the Predict panel" data-testid="predict-close">
            <Icon name="close" size={13} />
          </button>
        )}
      </div>
      <ImagePicker runId={runId} image={image} onPick={pick} onError={setPickError} />
      {(pickError ?? error) && (
        <div className="field-error pred-error" data-testid="predict-error">
          {pickError ?? error}
        </div>
      )}
      {!image && !pickError && <Empty height={90}>Pick an image to see what the network predicts, where it looks (Grad-CAM) and what its layers respond to.</Empty>}
      {result && !error && (
        <div className="dash-grid pred-grid-cards">
          <PredictionCard result={result} />
          <GradCamCard result={result} onClass={setClassIndex} onLayer={setGradcamLayer} />
          <FeatureMapsCard result={result} onLayer={setLayer} />
          {result.attention && image && (
            <Card title="Attention" info={attentionSubtitle(attnQuery)} className="pred-wide" testId="predict-attention">
              <AttentionView runId={runId} image={image.sampleIndex !== undefined ? { sampleIndex: image.sampleIndex } : { dataUrl: image.dataUrl }} onQuery={setAttnQuery} />
            </Card>
          )}
        </div>
      )}
    </div>
  );
}

export const PredictPanel = memo(PredictPanelView);
