import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { EvaluationReport, SamplePrediction } from '../../shared/training/telemetry';
import { useRunVersion } from '../telemetry/react';
import type { RunTelemetry } from '../telemetry/run';
import { AXIS, Card, Empty, fmt, GRID, pct, Segmented, TOOLTIP } from './chartKit';
import { ApTable } from './detection/ApTable';
import { BoxesOverEpochs } from './detection/BoxesOverEpochs';
import { PrCurves } from './detection/PrCurves';
import { BoxesOverlay, useSamples } from './detection/samples';
import { classNames, taskOf } from './runInfo';

function Metric({ label, value, testId, hint }: { label: string; value: string; testId?: string; hint?: string }) {
  return (
    <div className="metric" title={hint}>
      <span className="metric-label">{label}</span>
      <span className="metric-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

function ConfusionMatrix({ report, names, selected, onSelect, normalized, unit }: { report: EvaluationReport; names: string[]; selected: [number, number] | null; onSelect(c: [number, number]): void; normalized: boolean; unit: string }) {
  const m = report.confusion!;
  const clickable = !!report.cellSamples;
  const K = m.length;
  const rowSum = m.map((r) => r.reduce((a, b) => a + b, 0));
  const colSum = m[0].map((_, j) => m.reduce((a, r) => a + r[j], 0));
  const total = rowSum.reduce((a, b) => a + b, 0);
  const max = Math.max(1, ...m.flat());
  const cell = K <= 10 ? 38 : K <= 20 ? 26 : 16;
  const showText = K <= 20;
  return (
    <div className="cm-wrap">
      <div className="cm-axis-y">true class</div>
      <div>
        <div className="cm-axis-x">predicted class</div>
        <table className="cm" data-testid="confusion" data-total={total} style={{ ['--cell' as string]: `${cell}px` }}>
          <thead>
            <tr>
              <th />
              {names.map((n, j) => (
                <th key={j} className="cm-col" title={n}>
                  {n}
                </th>
              ))}
              <th className="cm-sum">Σ</th>
            </tr>
          </thead>
          <tbody>
            {m.map((row, i) => (
              <tr key={i}>
                <th className="cm-row" title={names[i]}>
                  {names[i]}
                </th>
                {row.map((n, j) => {
                  const frac = normalized ? (rowSum[i] ? n / rowSum[i] : 0) : n / max;
                  const on = selected && selected[0] === i && selected[1] === j;
                  return (
                    <td
                      key={j}
                      className={`cm-cell ${i === j ? 'diag' : 'off'} ${on ? 'on' : ''} ${n === 0 ? 'zero' : ''} ${clickable ? '' : 'static'}`}
                      style={{ ['--v' as string]: frac.toFixed(3) }}
                      data-testid={`cm-cell-${i}-${j}`}
                      data-count={n}
                      title={`true ${names[i]}, predicted ${names[j]}: ${n} ${unit}${n === 1 ? '' : 's'}${rowSum[i] ? ` (${pct(n / rowSum[i])} of the class)` : ''}`}
                      onClick={() => clickable && n > 0 && onSelect([i, j])}
                    >
                      {showText && n > 0 ? (normalized ? (n / Math.max(1, rowSum[i]) >= 0.995 ? '1' : (n / Math.max(1, rowSum[i])).toFixed(2).replace(/^0/, '')) : n) : ''}
                    </td>
                  );
                })}
                <td className="cm-sum mono">{rowSum[i]}</td>
              </tr>
            ))}
            <tr>
              <th className="cm-sum">Σ</th>
              {colSum.map((n, j) => (
                <td key={j} className="cm-sum mono">
                  {n}
                </td>
              ))}
              <td className="cm-sum mono total" data-testid="confusion-total">
                {total}
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}

function CellSamples({ runId, report, names, cell }: { runId: string; report: EvaluationReport; names: string[]; cell: [number, number] }) {
  const [t, p] = cell;
  const count = report.confusion?.[t]?.[p] ?? 0;
  const indices = useMemo(() => report.cellSamples?.[`${t},${p}`] ?? [], [report, t, p]);
  const { images, error } = useSamples(runId, indices);
  return (
    <div className="cell-samples" data-testid="cell-samples" data-count={images?.length ?? -1}>
      <div className="cell-samples-head">
        <b>
          true {names[t]} → predicted {names[p]}
        </b>
        <span className="muted">
          {count} image{count === 1 ? '' : 's'}
          {indices.length < count && ` · showing the first ${indices.length} (the run keeps at most ${indices.length} per cell)`}
        </span>
      </div>
      {error && <div className="field-error">{error}</div>}
      {!images && !error && <div className="muted pad">Loading images…</div>}
      <div className="sample-grid">
        {images?.map((im) => {
          const top = report.sampleTop?.[im.index] ?? [];
          return (
            <figure key={im.index} className={`sample ${t === p ? 'right' : 'wrong'}`} data-testid="cell-sample">
              <img src={im.image} alt={`validation image ${im.index}`} />
              <figcaption>
                <span className="mono muted">#{im.index}</span>
                {top.map(([c, prob]) => (
                  <span key={c} className={`prob ${c === t ? 'truth' : ''}`} title={`${names[c]}: ${pct(prob)}`}>
                    <span className="prob-name">{names[c]}</span>
                    <span className="prob-bar" style={{ width: `${Math.round(prob * 100)}%` }} />
                    <span className="prob-val mono">{pct(prob, 0)}</span>
                  </span>
                ))}
              </figcaption>
            </figure>
          );
        })}
      </div>
    </div>
  );
}

function PerClass({ report, names }: { report: EvaluationReport; names: string[] }) {
  const rows = report.perClass ?? [];
  const macro = rows.length ? { p: rows.reduce((a, r) => a + r.precision, 0) / rows.length, r: rows.reduce((a, r) => a + r.recall, 0) / rows.length, f: rows.reduce((a, r) => a + r.f1, 0) / rows.length } : null;
  const bar = (v: number, cls: string) => (
    <span className="pc-cell">
      <span className={`pc-bar ${cls}`} style={{ width: `${Math.round(v * 100)}%` }} />
      <span className="mono">{v.toFixed(3)}</span>
    </span>
  );
  return (
    <table className="per-class" data-testid="per-class">
      <thead>
        <tr>
          <th>class</th>
          <th title="TP / (TP + FP): of the images predicted as this class, how many are">precision</th>
          <th title="TP / (TP + FN): of the images of this class, how many were found">recall</th>
          <th title="2PR / (P + R)">F1</th>
          <th>support</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            <td>{names[i]}</td>
            <td>{bar(r.precision, 'p')}</td>
            <td>{bar(r.recall, 'r')}</td>
            <td>{bar(r.f1, 'f')}</td>
            <td className="mono">{r.support}</td>
          </tr>
        ))}
      </tbody>
      {macro && (
        <tfoot>
          <tr>
            <td>macro avg</td>
            <td className="mono">{macro.p.toFixed(3)}</td>
            <td className="mono">{macro.r.toFixed(3)}</td>
            <td className="mono">{macro.f.toFixed(3)}</td>
            <td className="mono">{rows.reduce((a, r) => a + r.support, 0)}</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}

function MaskOverlay({ mask, width, classes }: { mask: NonNullable<SamplePrediction['mask']>; width: number; classes: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const cv = ref.current;
    const ctx = cv?.getContext('2d');
    if (!cv || !ctx) return;
    const bytes = Uint8Array.from(atob(mask.predicted), (c) => c.charCodeAt(0));
    const img = ctx.createImageData(mask.width, mask.height);
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === 0) continue;
      const h = (c * 360) / Math.max(2, classes);
      const [r, g, b] = hsl(h, 0.7, 0.55);
      img.data[i * 4] = r;
      img.data[i * 4 + 1] = g;
      img.data[i * 4 + 2] = b;
      img.data[i * 4 + 3] = 120;
    }
    ctx.putImageData(img, 0, 0);
  }, [mask, classes]);
  return <canvas ref={ref} width={mask.width} height={mask.height} className="mask-overlay" style={{ width, height: width }} />;
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

function PredictionSamples({ runId, report, names }: { runId: string; report: EvaluationReport; names: string[] }) {
  const samples = report.samples ?? [];
  const indices = useMemo(() => samples.map((s) => s.index).slice(0, 16), [samples]);
  const { images, error } = useSamples(runId, indices.length ? indices : null);
  if (samples.length === 0) return <Empty height={160}>This run's report has no sample predictions.</Empty>;
  const byIndex = new Map(images?.map((im) => [im.index, im.image]));
  return (
    <>
      {error && <div className="field-error">{error}</div>}
      <div className="det-grid" data-testid="prediction-samples">
        {samples.slice(0, 16).map((s) => (
          <figure key={s.index} className="det-sample">
            <div className="det-frame">
              {byIndex.get(s.index) ? <img src={byIndex.get(s.index)} alt={`validation image ${s.index}`} /> : <div className="det-placeholder" />}
              {s.mask && <MaskOverlay mask={s.mask} width={148} classes={names.length} />}
              {(s.truth || s.predicted) && (
                <svg viewBox="0 0 100 100" preserveAspectRatio="none">
                  <BoxesOverlay boxes={s.truth ?? []} names={names} kind="truth" />
                  <BoxesOverlay boxes={s.predicted ?? []} names={names} kind="pred" />
                </svg>
              )}
            </div>
            <figcaption className="mono muted">
              #{s.index}
              {s.predicted && ` · ${s.predicted.length} box${s.predicted.length === 1 ? '' : 'es'}`}
            </figcaption>
          </figure>
        ))}
      </div>
    </>
  );
}

function ApBars({ names, values, label }: { names: string[]; values: (number | null)[]; label: string }) {
  const rows = names.map((n, i) => ({ name: n, v: values[i] ?? 0, missing: values[i] === null }));
  return (
    <BarChart data={rows} height={220} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 20, left: -8 }}>
      <CartesianGrid {...GRID} vertical={false} />
      <XAxis dataKey="name" {...AXIS} interval={0} angle={-30} textAnchor="end" height={40} />
      <YAxis {...AXIS} domain={[0, 1]} width={40} tickFormatter={(x: number) => x.toFixed(1)} />
      <Tooltip {...TOOLTIP} cursor={{ fill: 'var(--hover)' }} formatter={(x, _n, item) => [(item.payload as { missing: boolean }).missing ? 'no ground truth' : fmt(x as number), label]} />
      <Bar dataKey="v" fill="var(--series-1)" isAnimationActive={false} />
    </BarChart>
  );
}

function EvaluationViewInner({ run }: { run: RunTelemetry }) {
  const v = useRunVersion(run, 'epochs', 'status');
  const [normalized, setNormalized] = useState<'counts' | 'normalized'>('counts');
  const [cell, setCell] = useState<[number, number] | null>(null);
  const last = run.lastEval;
  const names = useMemo(() => classNames(run), [run, v]);
  const task = taskOf(run);
  useEffect(() => setCell(null), [run.id]);
  if (!last) return <Empty height={320}>The evaluation on the validation set appears after the first epoch.</Empty>;
  const r = last.report;
  const epochRow = run.epochs[run.epochs.length - 1];
  return (
    <div className="dash-grid" data-testid="dash-evaluation">
      <div className="span-2 metrics-strip" data-testid="eval-metrics">
        <Metric label="epoch" value={String(last.epoch)} />
        <Metric label="val loss" value={fmt(r.loss)} />
        {task === 'classification' && <Metric label="top-1" value={pct(r.accuracy)} testId="metric-top1" hint="The class with the highest probability is the true one" />}
        {r.top5 !== undefined && <Metric label="top-5" value={pct(r.top5)} testId="metric-top5" hint="The true class is among the five most probable" />}
        {epochRow?.macroF1 !== undefined && <Metric label="macro F1" value={fmt(epochRow.macroF1)} hint="Mean of the per-class F1 scores" />}
        {r.detection && (
          <>
            <Metric label="mAP@0.5" value={fmt(r.detection.mAP50)} testId="metric-map50" />
            <Metric label="mAP@0.75" value={fmt(r.detection.mAP75)} />
            <Metric label="mAP@[.5:.95]" value={fmt(r.detection.mAP)} />
            <Metric label="mAR" value={fmt(r.detection.mAR)} />
          </>
        )}
        {r.segmentation && (
          <>
            <Metric label="pixel acc." value={pct(r.segmentation.pixelAccuracy)} />
            <Metric label="mIoU" value={fmt(r.segmentation.mIoU)} testId="metric-miou" />
            <Metric label="mean Dice" value={fmt(r.segmentation.meanDice)} />
          </>
        )}
      </div>
      {r.confusion && r.confusion.length > 0 && (
        <Card
          title="Confusion matrix"
          info={r.cellSamples ? 'rows: true class · columns: predicted · click a cell for its images' : `rows: true class · columns: predicted · counted in ${task === 'segmentation' ? 'pixels' : 'boxes'}`}
          right={<Segmented value={normalized} onChange={setNormalized} options={[{ value: 'counts', label: 'Counts' }, { value: 'normalized', label: 'Normalised', title: 'Each row divided by its total (recall on the diagonal)' }]} testId="cm-mode" />}
          span={2}
          testId="chart-confusion"
        >
          <div className="cm-layout">
            <ConfusionMatrix report={r} names={names} selected={cell} onSelect={setCell} normalized={normalized === 'normalized'} unit={task === 'segmentation' ? 'pixel' : task === 'detection' ? 'box' : 'image'} />
            <div className="cm-side">
              {cell && r.cellSamples ? (
                <CellSamples runId={run.id} report={r} names={names} cell={cell} />
              ) : r.cellSamples ? (
                <div className="muted cm-hint">Click a cell to see the validation images behind it, with their predicted probabilities. Off-diagonal cells are the mistakes.</div>
              ) : (
                <div className="muted cm-hint">Every {task === 'segmentation' ? 'pixel' : 'box'} of the validation images is counted once. The diagonal is what the model got right; read a row to see which classes a true class is mistaken for.</div>
              )}
            </div>
          </div>
        </Card>
      )}
      {r.perClass && r.perClass.length > 0 && (
        <Card title="Per-class precision, recall, F1" span={2} testId="chart-per-class">
          <PerClass report={r} names={names} />
        </Card>
      )}
      {r.detection && (
        <>
          <Card title="Predicted vs ground-truth boxes over epochs" info={`validation images · predictions scoring ≥ the display threshold, after NMS`} span={2} testId="chart-boxes">
            <BoxesOverEpochs runId={run.id} history={run.sampleHistory} names={names} />
          </Card>
          <Card title="Precision–recall per class" info="IoU 0.5 · COCO 101-point interpolation" testId="chart-pr">
            <PrCurves report={r.detection} names={names} />
          </Card>
          <Card title="AP@0.5 per class" testId="chart-ap">
            <ApBars names={names} values={r.detection.perClassAP} label="AP@0.5" />
          </Card>
          <Card title="Per-class AP" info={`epoch ${last.epoch} · COCO 101-point AP`} span={2} testId="chart-ap-table">
            <ApTable report={r.detection} names={names} />
          </Card>
        </>
      )}
      {r.segmentation && (
        <>
          <Card title="IoU per class" testId="chart-iou">
            <ApBars names={names} values={r.segmentation.perClassIoU} label="IoU" />
          </Card>
          <Card title="Predicted masks on validation images" testId="chart-masks">
            <PredictionSamples runId={run.id} report={r} names={names} />
          </Card>
        </>
      )}
    </div>
  );
}

export const EvaluationView = memo(EvaluationViewInner);
