import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { ExperimentResult, LabApi } from '../../shared/api';
import type { ChartKind, ReceptiveFieldDrawing } from '../../shared/experiments/types';
import { AXIS, Card, Empty, fmt, GRID, logTick, pct, SeriesLegend, seriesColor, TOOLTIP } from '../dashboards/chartKit';
import { studyChart } from './StudyCharts';
import { compactCount, confidenceRows, epochRows, layerRows, receptiveFieldRows, stepRows, type EpochKey, type VariantSeries } from './model';

/** The experiment's charts, every variant overlaid in its own colour (the same order as the variants table). */

const MARGIN = { top: 8, right: 14, bottom: 0, left: -8 };

/** A loss curve whose peak is far above its typical value (a spike would flatten every other line). */
function spiky(rows: readonly Record<string, number>[]): boolean {
  const v = rows.flatMap((r) => Object.entries(r).filter(([k, x]) => k !== 'step' && x > 0).map(([, x]) => x)).sort((a, b) => a - b);
  return v.length > 10 && v[v.length - 1] > 15 * v[Math.floor(v.length / 2)];
}

/** 10-point ticks from `lo` to 100% (5-point when zoomed in to 30 points or less). */
function accTicks(lo: number): number[] {
  const step = 1 - lo <= 0.3 ? 0.05 : lo >= 0.5 ? 0.1 : 0.25;
  const out: number[] = [];
  for (let t = 1; t >= lo - 1e-9; t -= step) out.unshift(Math.round(t * 100) / 100);
  return out;
}

const nameOf = (series: readonly VariantSeries[], n: unknown): string => series[Number(String(n).slice(1))]?.name ?? String(n);

function EpochChart({ series, metric, title }: { series: readonly VariantSeries[]; metric: EpochKey; title: string }) {
  const rows = useMemo(() => epochRows(series, metric), [series, metric]);
  const isAcc = metric === 'valAccuracy' || metric === 'trainAccuracy';
  // One epoch: a column of points in the middle, not on the edge.
  const single = rows.length === 1 ? rows[0].epoch : null;
  // Accuracies all high: zoom in (to the tenth below the lowest), else the full 0–100%.
  const lowest = isAcc ? Math.min(...rows.flatMap((r) => Object.entries(r).filter(([k]) => k !== 'epoch').map(([, x]) => x))) : 0;
  const accLo = isAcc && Number.isFinite(lowest) ? Math.max(0, Math.floor((lowest - 0.05) * 10) / 10) : 0;
  return (
    <Card title={title} info="per epoch" testId={`exp-chart-${metric}`}>
      {rows.length === 0 ? (
        <Empty height={200}>No epoch finished yet.</Empty>
      ) : (
        <LineChart data={rows} height={200} style={{ width: '100%' }} responsive margin={MARGIN}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="epoch" type="number" domain={single !== null ? [single - 0.5, single + 0.5] : ['dataMin', 'dataMax']} ticks={single !== null ? [single] : undefined} allowDecimals={false} {...AXIS} />
          <YAxis {...AXIS} width={44} domain={isAcc ? [accLo, 1] : [0, 'auto']} ticks={isAcc ? accTicks(accLo) : undefined} tickFormatter={(x: number) => (isAcc ? `${Math.round(x * 100)}%` : fmt(x, 2))} />
          <Tooltip {...TOOLTIP} formatter={(x, n) => [isAcc ? pct(x as number) : fmt(x as number), nameOf(series, n)]} labelFormatter={(l) => `epoch ${l}`} />
          {series.map((s, i) => (
            <Line key={s.id} dataKey={`v${i}`} stroke={seriesColor(i)} strokeWidth={1.8} dot={{ r: single !== null ? 4 : 2.5, fill: seriesColor(i) }} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      )}
      <SeriesLegend series={series} />
    </Card>
  );
}

function StepChart({ series, metric, title }: { series: readonly VariantSeries[]; metric: 'loss' | 'lr'; title: string }) {
  const rows = useMemo(() => stepRows(series, metric), [series, metric]);
  const log = metric === 'loss' && spiky(rows);
  return (
    <Card title={title} info={metric === 'loss' ? `per step, smoothed${log ? ', log scale' : ''}` : 'per step'} testId={`exp-chart-step-${metric}`}>
      {rows.length === 0 ? (
        <Empty height={200}>No step yet.</Empty>
      ) : (
        <LineChart data={rows} height={200} style={{ width: '100%' }} responsive margin={MARGIN}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} {...AXIS} />
          {log ? (
            <YAxis {...AXIS} width={48} scale="log" domain={['auto', 'auto']} allowDataOverflow tickFormatter={(x: number) => fmt(x, 2)} />
          ) : (
            <YAxis {...AXIS} width={48} domain={[0, 'auto']} tickFormatter={(x: number) => fmt(x, 2)} />
          )}
          <Tooltip {...TOOLTIP} formatter={(x, n) => [fmt(x as number), nameOf(series, n)]} labelFormatter={(l) => `step ${l}`} />
          {series.map((s, i) => (
            <Line key={s.id} dataKey={`v${i}`} stroke={seriesColor(i)} strokeWidth={1.5} dot={false} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      )}
      <SeriesLegend series={series} />
    </Card>
  );
}

function LayerChart({ series, kind }: { series: readonly VariantSeries[]; kind: 'grad' | 'activation' }) {
  const { rows } = useMemo(() => layerRows(series, kind), [series, kind]);
  const values = rows.flatMap((r) => Object.entries(r).filter(([k]) => k !== 'layer').map(([, v]) => v));
  const lo = values.length ? Math.floor(Math.min(...values)) : -1;
  const hi = values.length ? Math.ceil(Math.max(...values)) : 1;
  const title = kind === 'grad' ? 'Gradient norm per layer ‖∂L/∂W‖' : 'Activation std per layer';
  return (
    <Card title={title} info="at initialisation (first probe), log scale" testId={`exp-chart-layers-${kind}`}>
      {rows.length === 0 ? (
        <Empty height={220}>Appears when a variant has finished.</Empty>
      ) : (
        <LineChart data={rows} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="layer" type="number" domain={[1, 'dataMax']} allowDecimals={false} {...AXIS} label={{ value: kind === 'grad' ? 'layer with weights (input → output)' : 'ReLU layer (input → output)', position: 'insideBottom', offset: -2, fill: 'var(--muted)', fontSize: 10 }} height={34} />
          <YAxis {...AXIS} width={48} domain={[lo, hi === lo ? hi + 1 : hi]} ticks={Array.from({ length: hi - lo + 1 }, (_, k) => lo + k).filter((t, _, a) => a.length <= 9 || t % 2 === 0)} tickFormatter={logTick} />
          <Tooltip {...TOOLTIP} formatter={(x, n) => [fmt(10 ** (x as number)), nameOf(series, n)]} labelFormatter={(l) => `layer ${l}`} />
          {series.map((s, i) => (
            <Line key={s.id} dataKey={`v${i}`} stroke={seriesColor(i)} strokeWidth={1.8} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      )}
      <SeriesLegend series={series} />
    </Card>
  );
}

function ConfidenceChart({ series }: { series: readonly VariantSeries[] }) {
  const rows = useMemo(() => confidenceRows(series), [series]);
  const any = series.some((s) => s.result?.confidence?.length);
  return (
    <Card title="Top-1 confidence of validation samples" info="share per decile" testId="exp-chart-confidence">
      {!any ? (
        <Empty height={200}>Appears when a variant has finished.</Empty>
      ) : (
        <BarChart data={rows} height={200} style={{ width: '100%' }} responsive margin={MARGIN}>
          <CartesianGrid {...GRID} vertical={false} />
          <XAxis dataKey="bin" {...AXIS} interval={0} tick={{ ...AXIS.tick, fontSize: 9 }} />
          <YAxis {...AXIS} width={44} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
          <Tooltip {...TOOLTIP} formatter={(x, n) => [pct(x as number), nameOf(series, n)]} />
          {series.map((s, i) => (
            <Bar key={s.id} dataKey={`v${i}`} fill={seriesColor(i)} isAnimationActive={false} />
          ))}
        </BarChart>
      )}
      <SeriesLegend series={series} />
    </Card>
  );
}

/** Horizontal bars, one row per variant (log scale when the values span decades). */
export function HBars({ rows, log, format }: { rows: { id: string; name: string; value: number | null; fraction: number; color: string }[]; log?: boolean; format(v: number | null): string }) {
  return (
    <div className="hbars">
      {rows.map((r) => (
        <div key={r.id} className="hbar-row" data-testid="hbar-row">
          <span className="hbar-name" title={r.name}>
            {r.name}
          </span>
          <span className="hbar-track">
            <span className="hbar" style={{ width: `${Math.round(r.fraction * 100)}%`, background: r.color }} />
          </span>
          <span className="hbar-value mono">{format(r.value)}</span>
        </div>
      ))}
      {log && <div className="hbar-note muted">log scale</div>}
    </div>
  );
}

function CostBars({ variants }: { variants: readonly { id: string; name: string; params: number; flops: number }[] }) {
  const maxP = Math.max(1, ...variants.map((v) => v.params));
  const maxF = Math.max(1, ...variants.map((v) => v.flops));
  return (
    <Card title="Parameters and FLOPs" info="per sample, forward pass" testId="exp-chart-cost">
      <div className="cost-grid">
        <div>
          <div className="tp-sub">Parameters</div>
          <HBars rows={variants.map((v, i) => ({ id: v.id, name: v.name, value: v.params, fraction: Math.max(0.02, v.params / maxP), color: seriesColor(i) }))} format={(x) => (x === null ? '—' : compactCount(x))} />
        </div>
        <div>
          <div className="tp-sub">FLOPs</div>
          <HBars rows={variants.map((v, i) => ({ id: v.id, name: v.name, value: v.flops, fraction: Math.max(0.02, v.flops / maxF), color: seriesColor(i) }))} format={(x) => (x === null ? '—' : compactCount(x))} />
        </div>
      </div>
    </Card>
  );
}

/** One small image per variant with the receptive field of each layer drawn around the centre unit. */
function ReceptiveFieldView({ drawing, names, lab, layers }: { drawing: ReceptiveFieldDrawing; names: readonly { id: string; name: string }[]; lab: Pick<LabApi, 'datasetPreview'> | null; layers: unknown }) {
  const [image, setImage] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    lab?.datasetPreview({ id: drawing.dataset, perClass: 1 }).then(
      (p) => !cancelled && setImage(p.samples[drawing.sampleIndex % Math.max(1, p.samples.length)]?.image ?? null),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [lab, drawing.dataset, drawing.sampleIndex]);
  const { width: W, height: H } = drawing.image;
  const rows = useMemo(() => receptiveFieldRows(layers, names.map((n) => n.id)), [layers, names]);
  return (
    <>
      <Card title="Receptive field on an input image" info={`${drawing.dataset}, ${W}×${H}; centre unit at (${drawing.center.x}, ${drawing.center.y})`} span={2} testId="exp-rf-drawing">
        <div className="rf-multiples">
          {names.map((v, i) => {
            const squares = drawing.squares.filter((s) => s.variant === v.id);
            return (
              <figure key={v.id} className="rf-fig" data-testid="rf-fig">
                <svg viewBox={`0 0 ${W} ${H}`} width={150} height={150} className="rf-svg">
                  {image ? <image href={image} x={0} y={0} width={W} height={H} style={{ imageRendering: 'pixelated' }} /> : <rect x={0} y={0} width={W} height={H} fill="var(--panel-2)" />}
                  {squares.map((s, k) => {
                    const last = k === squares.length - 1;
                    const r = { x: s.clipped.x, y: s.clipped.y, width: s.clipped.w, height: s.clipped.h, fill: 'none', vectorEffect: 'non-scaling-stroke' } as const;
                    return (
                      <g key={k}>
                        <rect {...r} stroke="rgba(0,0,0,0.65)" strokeWidth={last ? 4 : 2.5} />
                        <rect {...r} stroke={seriesColor(i)} strokeWidth={last ? 2 : 1} strokeDasharray={last ? undefined : '3 2'} />
                      </g>
                    );
                  })}
                  <rect x={drawing.center.x} y={drawing.center.y} width={1} height={1} fill={seriesColor(i)} />
                </svg>
                <figcaption>
                  <b style={{ color: seriesColor(i) }}>{v.name}</b>
                  <span className="muted">RF {squares.map((s) => s.rf).join(' → ') || '—'}</span>
                </figcaption>
              </figure>
            );
          })}
        </div>
      </Card>
      <Card title="Receptive field per layer" info="pixels, spatial layers only" testId="exp-chart-rf">
        <LineChart data={rows} height={200} style={{ width: '100%' }} responsive margin={MARGIN}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="layer" type="number" domain={[1, 'dataMax']} allowDecimals={false} {...AXIS} />
          <YAxis {...AXIS} width={40} domain={[0, 'auto']} />
          <Tooltip {...TOOLTIP} formatter={(x, n) => [`${x as number} px`, names[Number(String(n).slice(1))]?.name ?? n]} labelFormatter={(l) => `layer ${l}`} />
          {names.map((v, i) => (
            <Line key={v.id} dataKey={`v${i}`} stroke={seriesColor(i)} strokeWidth={1.8} dot={{ r: 2.5 }} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
        <SeriesLegend series={names.map((n) => ({ ...n, epochs: [], steps: [] }))} />
      </Card>
    </>
  );
}

/** The charts an experiment asks for (ChartKind), in its order. */
export function ExperimentCharts({
  kinds,
  series,
  result,
  costs,
  lab,
  extra,
}: {
  kinds: readonly ChartKind[];
  series: readonly VariantSeries[];
  result?: ExperimentResult;
  costs: readonly { id: string; name: string; params: number; flops: number }[];
  lab: Pick<LabApi, 'datasetPreview'> | null;
  extra?: ReactNode;
}) {
  const out: ReactNode[] = [];
  for (const k of kinds) {
    switch (k) {
      case 'train_loss':
        out.push(<StepChart key={k} series={series} metric="loss" title="Training loss" />);
        break;
      case 'lr':
        out.push(<StepChart key={k} series={series} metric="lr" title="Learning rate" />);
        break;
      case 'val_loss':
        out.push(<EpochChart key={k} series={series} metric="valLoss" title="Validation loss" />);
        break;
      case 'val_accuracy':
        out.push(<EpochChart key={k} series={series} metric="valAccuracy" title="Validation accuracy" />);
        break;
      case 'train_accuracy':
        out.push(<EpochChart key={k} series={series} metric="trainAccuracy" title="Training accuracy" />);
        break;
      case 'grad_norm_per_layer':
        out.push(<LayerChart key={k} series={series} kind="grad" />);
        break;
      case 'activation_std_per_layer':
        out.push(<LayerChart key={k} series={series} kind="activation" />);
        break;
      case 'confidence_histogram':
        out.push(<ConfidenceChart key={k} series={series} />);
        break;
      case 'params_flops':
        out.push(<CostBars key={k} variants={costs} />);
        break;
      case 'receptive_field':
        if (result?.drawing) out.push(<ReceptiveFieldView key={k} drawing={result.drawing} names={series} lab={lab} layers={result.verdict.measurements.layers} />);
        else out.push(<Card key={k} title="Receptive field" testId="exp-rf-empty"><Empty height={160}>Start the experiment to compute the receptive fields.</Empty></Card>);
        break;
      default: {
        // The study experiments' charts (per-class recall, PR/ROC, dead units, weight histograms, BN modes).
        const chart = studyChart(k, series);
        if (chart) out.push(chart);
      }
    }
  }
  return (
    <div className="dash-grid exp-charts" data-testid="exp-charts">
      {out}
      {extra}
    </div>
  );
}
