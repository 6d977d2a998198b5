import { memo, useMemo, useState } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, LineChart, ReferenceDot, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { fitVerdict } from '../../shared/training/diagnostics';
import { useRunVersion } from '../telemetry/react';
import type { RunTelemetry } from '../telemetry/run';
import { ema, thin } from '../telemetry/series';
import { AXIS, AxisNote, Card, Empty, fmt, GRID, LegendItem, pct, TOOLTIP } from './chartKit';
import { valueAxis } from '../core/axis';
import { formatTick } from '../core/format';
import { curveLabels } from './metricLabels';
import { chanceLoss, plannedEpochs, taskOf, totalSteps } from './runInfo';

const H = 210;
const MAX_POINTS = 500;

function EpochLoss({ run }: { run: RunTelemetry }) {
  const v = useRunVersion(run, 'epochs', 'status');
  const { rows, verdict, epochs, axis } = useMemo(() => {
    const rows = run.epochs.map((e) => ({ epoch: e.epoch, train: e.trainLoss, val: e.valLoss, gap: [e.trainLoss, Math.max(e.trainLoss, e.valLoss)] as [number, number] }));
    const verdict = fitVerdict(run.epochs.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, valLoss: e.valLoss })), { chanceLoss: chanceLoss(run) });
    const axis = valueAxis(rows.flatMap((r) => [r.train, r.val]));
    return { rows, verdict, epochs: plannedEpochs(run), axis };
  }, [run, v]);
  const turn = verdict.turnEpoch !== undefined ? rows.find((r) => r.epoch === verdict.turnEpoch) : undefined;
  const badge =
    verdict.status === 'overfitting' ? (
      <span className="pill warn" data-testid="overfit-flag" title={verdict.message}>overfitting</span>
    ) : verdict.status === 'diverging' ? (
      <span className="pill error" data-testid="diverging-flag" title={verdict.message}>diverging</span>
    ) : verdict.status === 'underfitting' ? (
      <span className="pill warn" data-testid="underfit-flag" title={verdict.message}>underfitting</span>
    ) : null;
  return (
    <Card
      title="Loss per epoch"
      info={badge ?? (rows.length ? `gap ${fmt(verdict.gap)}` : undefined)}
      right={
        <span className="legend">
          <LegendItem color="var(--series-1)" label="train" />
          <LegendItem color="var(--series-2)" label="validation" />
          <LegendItem color="var(--gap-fill-strong)" label="val > train" />
        </span>
      }
      testId="chart-epoch-loss"
    >
      {rows.length === 0 ? (
        <Empty height={H}>Train and validation loss appear after the first epoch.</Empty>
      ) : (
        <div data-points={rows.length}>
          <ComposedChart data={rows} height={H} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 0, left: -8 }}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="epoch" type="number" domain={[1, Math.max(2, epochs)]} allowDecimals={false} {...AXIS} />
            <YAxis {...AXIS} tickFormatter={formatTick} width={axis.width} domain={axis.domain} ticks={axis.ticks} allowDataOverflow />
            <Tooltip {...TOOLTIP} formatter={(x, name) => (Array.isArray(x) ? [fmt(x[1] - x[0]), 'gap'] : [fmt(x as number), name])} labelFormatter={(l) => `epoch ${l}`} />
            <Area dataKey="gap" stroke="none" fill="var(--gap-fill)" isAnimationActive={false} name="gap" />
            <Line dataKey="train" stroke="var(--series-1)" strokeWidth={1.8} dot={{ r: 2.5 }} isAnimationActive={false} name="train" />
            <Line dataKey="val" stroke="var(--series-2)" strokeWidth={1.8} dot={{ r: 2.5 }} isAnimationActive={false} name="validation" />
            {turn && <ReferenceLine x={turn.epoch} stroke="var(--warning)" strokeDasharray="4 3" label={{ value: 'val loss turns up', position: 'insideTopRight', fill: 'var(--warning)', fontSize: 10 }} />}
            {turn && <ReferenceDot x={turn.epoch} y={turn.val} r={5} fill="var(--warning)" stroke="var(--panel)" data-testid="overfit-marker" />}
          </ComposedChart>
          <AxisNote axis={axis} />
        </div>
      )}
      {verdict.status !== 'ok' && verdict.status !== 'unknown' && <p className="dash-note warn">{verdict.message}</p>}
    </Card>
  );
}

function EpochAccuracy({ run }: { run: RunTelemetry }) {
  const v = useRunVersion(run, 'epochs', 'status', 'steps');
  const names = curveLabels(taskOf(run), run.lastStep?.metricName);
  const { rows, epochs, hasTop5, hasHeadline } = useMemo(
    () => ({
      rows: run.epochs.map((e) => ({ epoch: e.epoch, train: e.trainAcc, val: e.valAcc, top5: e.top5, headline: e.mIoU })),
      epochs: plannedEpochs(run),
      hasTop5: run.epochs.some((e) => e.top5 !== undefined),
      hasHeadline: names.headline !== names.val && run.epochs.some((e) => e.mIoU !== undefined),
    }),
    [run, v, names.headline, names.val],
  );
  const last = rows[rows.length - 1];
  return (
    <Card
      title={names.epochTitle}
      info={last ? (hasHeadline && last.headline !== undefined ? `val ${names.headline} ${pct(last.headline)}` : `val ${pct(last.val)}`) : undefined}
      right={
        <span className="legend">
          {names.trainOnEpochChart && <LegendItem color="var(--series-1)" label={`train ${names.val}`} />}
          <LegendItem color="var(--series-2)" label={`val ${names.val}`} />
          {hasHeadline && <LegendItem color="var(--series-3)" label={`val ${names.headline}`} />}
          {hasTop5 && <LegendItem color="var(--series-2)" label="val top-5" dashed />}
        </span>
      }
      testId="chart-epoch-acc"
    >
      {rows.length === 0 ? (
        <Empty height={H}>{`${names.epochTitle.replace(/ per epoch$/, '')} appear${names.headline === names.val ? 's' : ''} after the first epoch.`}</Empty>
      ) : (
        <LineChart data={rows} height={H} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 0, left: -8 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="epoch" type="number" domain={[1, Math.max(2, epochs)]} allowDecimals={false} {...AXIS} />
          <YAxis {...AXIS} domain={[0, 1]} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} width={44} />
          <Tooltip {...TOOLTIP} formatter={(x, name) => [pct(x as number), name]} labelFormatter={(l) => `epoch ${l}`} />
          {names.trainOnEpochChart && <Line dataKey="train" stroke="var(--series-1)" strokeWidth={1.8} dot={{ r: 2.5 }} isAnimationActive={false} name={`train ${names.val}`} connectNulls />}
          <Line dataKey="val" stroke="var(--series-2)" strokeWidth={1.8} dot={{ r: 2.5 }} isAnimationActive={false} name={`val ${names.val}`} />
          {hasHeadline && <Line dataKey="headline" stroke="var(--series-3)" strokeWidth={1.8} dot={{ r: 2.5 }} isAnimationActive={false} name={`val ${names.headline}`} />}
          {hasTop5 && <Line dataKey="top5" stroke="var(--series-2)" strokeDasharray="4 3" strokeWidth={1.3} dot={false} isAnimationActive={false} name="val top-5" />}
        </LineChart>
      )}
    </Card>
  );
}

function StepChart({ run, metric, smoothing }: { run: RunTelemetry; metric: 'loss' | 'acc'; smoothing: number }) {
  const v = useRunVersion(run, 'steps');
  const names = curveLabels(taskOf(run), run.lastStep?.metricName);
  const total = totalSteps(run);
  const rows = useMemo(() => {
    const all = run.steps.rows();
    const sm = ema(all.map((r) => r[metric]), smoothing);
    const withSm = all.map((r, i) => ({ step: r.x, raw: r[metric], smooth: sm[i] }));
    return thin(withSm, MAX_POINTS, 'raw');
  }, [run, v, metric, smoothing]);
  const axis = useMemo(() => valueAxis(rows.flatMap((r) => [r.raw, r.smooth])), [rows]);
  const last = rows[rows.length - 1];
  return (
    <Card
      title={metric === 'loss' ? 'Training loss per step' : names.stepTitle}
      info={last ? `step ${last.step} · ${metric === 'loss' ? fmt(last.smooth) : pct(last.smooth)}` : undefined}
      right={
        <span className="legend">
          <LegendItem color="var(--series-1)" label="smoothed" />
          <LegendItem color="var(--series-1-faint)" label="raw" />
        </span>
      }
      testId={`chart-step-${metric}`}
    >
      {rows.length === 0 ? (
        <Empty height={H}>Waiting for the first steps…</Empty>
      ) : (
        <div data-points={rows.length} data-last-step={last?.step} data-testid={`step-${metric}-points`}>
          <LineChart data={rows} height={H} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 0, left: -8 }}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="step" type="number" domain={[0, total ?? 'dataMax']} allowDecimals={false} {...AXIS} tickFormatter={(x: number) => fmt(x, 3)} />
            <YAxis {...AXIS} domain={metric === 'acc' ? [0, 1] : axis.domain} ticks={metric === 'acc' ? undefined : axis.ticks} allowDataOverflow tickFormatter={(x: number) => (metric === 'acc' ? `${Math.round(x * 100)}%` : formatTick(x))} width={metric === 'acc' ? 44 : axis.width} />
            <Tooltip {...TOOLTIP} formatter={(x, name) => [metric === 'acc' ? pct(x as number) : fmt(x as number), `${name} ${metric === 'acc' ? names.step : 'loss'}`]} labelFormatter={(l) => `step ${l}`} />
            <Line dataKey="raw" stroke="var(--series-1-faint)" strokeWidth={1} dot={false} isAnimationActive={false} name="raw" />
            <Line dataKey="smooth" stroke="var(--series-1)" strokeWidth={1.8} dot={false} isAnimationActive={false} name="smoothed" />
          </LineChart>
          {metric === 'loss' && <AxisNote axis={axis} />}
        </div>
      )}
    </Card>
  );
}

function LearningRate({ run }: { run: RunTelemetry }) {
  const v = useRunVersion(run, 'steps');
  const total = totalSteps(run);
  const rows = useMemo(() => thin(run.steps.rows().map((r) => ({ step: r.x, lr: r.lr })), MAX_POINTS, 'lr'), [run, v]);
  const axis = useMemo(() => valueAxis(rows.map((r) => r.lr)), [rows]);
  const last = rows[rows.length - 1];
  return (
    <Card title="Learning rate" info={last ? fmt(last.lr) : undefined} testId="chart-lr">
      {rows.length === 0 ? (
        <Empty height={H}>The learning rate per step appears with the first steps.</Empty>
      ) : (
        <LineChart data={rows} height={H} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 0, left: 0 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="step" type="number" domain={[0, total ?? 'dataMax']} allowDecimals={false} {...AXIS} tickFormatter={(x: number) => fmt(x, 3)} />
          <YAxis {...AXIS} domain={axis.domain} ticks={axis.ticks} tickFormatter={formatTick} width={Math.max(52, axis.width)} />
          <Tooltip {...TOOLTIP} formatter={(x) => [fmt(x as number, 4), 'lr']} labelFormatter={(l) => `step ${l}`} />
          <Line dataKey="lr" type="linear" stroke="var(--series-3)" strokeWidth={1.8} dot={false} isAnimationActive={false} name="lr" />
        </LineChart>
      )}
    </Card>
  );
}

function LearningCurvesView({ run }: { run: RunTelemetry }) {
  const [smoothing, setSmoothing] = useState(0.8);
  return (
    <div className="dash-grid" data-testid="dash-curves">
      <EpochLoss run={run} />
      <EpochAccuracy run={run} />
      <StepChart run={run} metric="loss" smoothing={smoothing} />
      <StepChart run={run} metric="acc" smoothing={smoothing} />
      <LearningRate run={run} />
      <section className="dash-card dash-controls">
        <header className="dash-card-head">
          <span className="dash-card-title">Reading the curves</span>
        </header>
        <div className="dash-card-body dash-help">
          <label className="slider-row">
            <span>Step smoothing</span>
            <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} data-testid="smoothing" />
            <span className="mono">{smoothing.toFixed(2)}</span>
          </label>
          <p>
            <b>Overfitting</b>: training loss keeps falling while validation loss turns up — the shaded gap widens. A marker shows where validation loss turned up.
          </p>
          <p>
            <b>Underfitting</b>: both losses stay high (near the chance level ln K) — more capacity, more epochs or a larger learning rate.
          </p>
          <p className="muted">Per-step values are averaged over the batches of each point; per-epoch training loss is the mean over the epoch, validation loss is measured after it.</p>
        </div>
      </section>
    </div>
  );
}

export const LearningCurves = memo(LearningCurvesView);
