import { useMemo, useState, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceArea, ReferenceDot, Tooltip, XAxis, YAxis } from 'recharts';
import { activationOf } from '../../shared/experiments/catalog/activationsStudy';
import { bnModesOf } from '../../shared/experiments/catalog/bnTrainEval';
import { nmsOf } from '../../shared/experiments/catalog/detectionNms';
import { taskBarsOf } from '../../shared/experiments/catalog/digitTasks';
import { imbalanceOf, MINORITY_CLASSES } from '../../shared/experiments/catalog/classImbalance';
import { sparsityOf, WEIGHT_RANGE } from '../../shared/experiments/catalog/l1Sparsity';
import { thresholdOf, type ThresholdStudy } from '../../shared/experiments/catalog/thresholdMetrics';
import { rates } from '../../shared/experiments/studyMeasures';
import type { ChartKind } from '../../shared/experiments/types';
import { AXIS, Card, Empty, fmt, GRID, LegendItem, pct, SeriesLegend, seriesColor, TOOLTIP } from '../dashboards/chartKit';
import { HBars } from './Charts';
import { OutputProbabilities } from './OutputCharts';
import { DetectionHeads, DetectionNegatives } from './DetectionStudyCharts';
import type { VariantSeries } from './model';

/** Charts of the study experiments: they read VariantResult.study (what the study's own loop measured). */

const MARGIN = { top: 8, right: 14, bottom: 0, left: -8 };

const nameOf = (series: readonly VariantSeries[], n: unknown): string => series[Number(String(n).slice(1))]?.name ?? String(n);
const waiting = (height = 200): ReactNode => <Empty height={height}>Appears when a variant has finished.</Empty>;

/** Weight histograms (share of weights per bin) and the share of weights exactly 0, per variant. */
function WeightHistogram({ series }: { series: readonly VariantSeries[] }) {
  const studies = series.map((s) => (s.result ? sparsityOf(s.result) : undefined));
  const rows = useMemo(() => {
    const first = studies.find((s) => s);
    if (!first) return [];
    const e = first.histogram.edges;
    return first.histogram.counts.map((_, b) => {
      const row: Record<string, number> = { w: (e[b] + e[b + 1]) / 2 };
      studies.forEach((s, i) => {
        if (s) row[`v${i}`] = s.histogram.counts[b] / Math.max(1, s.weights);
      });
      return row;
    });
  }, [studies]);
  const zeros = useMemo(() => {
    const epochs = new Map<number, Record<string, number>>();
    studies.forEach((s, i) => s?.zerosOverTime.forEach((z) => epochs.set(z.epoch, { ...(epochs.get(z.epoch) ?? { epoch: z.epoch }), [`v${i}`]: z.exact })));
    return [...epochs.values()].sort((a, b) => a.epoch - b.epoch);
  }, [studies]);
  const maxExact = Math.max(1e-9, ...studies.map((s) => s?.zeros.exact ?? 0));
  return (
    <>
      <Card title="First-layer weight histogram" info="share of the 784×64 weights per bin (the middle bin holds 0)" span={2} testId="exp-chart-weight-hist">
        {!rows.length ? (
          waiting(220)
        ) : (
          <LineChart data={rows} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="w" type="number" domain={[-WEIGHT_RANGE, WEIGHT_RANGE]} ticks={[-WEIGHT_RANGE, -WEIGHT_RANGE / 2, 0, WEIGHT_RANGE / 2, WEIGHT_RANGE]} {...AXIS} tickFormatter={(x: number) => fmt(x, 2)} />
            <YAxis {...AXIS} width={48} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [pct(x as number), nameOf(series, n)]} labelFormatter={(l) => `w ≈ ${fmt(l as number, 3)}`} />
            {series.map((s, i) => (
              <Line key={s.id} dataKey={`v${i}`} type="step" stroke={seriesColor(i)} strokeWidth={1.6} strokeDasharray={i % 2 ? '5 3' : undefined} dot={false} isAnimationActive={false} />
            ))}
          </LineChart>
        )}
        <SeriesLegend series={series} />
      </Card>
      <Card title="Weights exactly zero" info="w = 0 exactly, after training" testId="exp-chart-exact-zeros">
        {!studies.some((s) => s) ? (
          waiting(140)
        ) : (
          <HBars rows={series.map((s, i) => ({ id: s.id, name: s.name, value: studies[i]?.zeros.exact ?? null, fraction: Math.max(0.01, (studies[i]?.zeros.exact ?? 0) / maxExact), color: seriesColor(i) }))} format={(x) => (x === null ? '—' : pct(x))} />
        )}
      </Card>
      <Card title="Exact zeros over training" info="share of first-layer weights = 0, per epoch" testId="exp-chart-zeros-time">
        {!zeros.length ? (
          waiting()
        ) : (
          <LineChart data={zeros} height={200} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="epoch" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} {...AXIS} />
            <YAxis {...AXIS} width={44} domain={[0, 'auto']} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [pct(x as number), nameOf(series, n)]} labelFormatter={(l) => `epoch ${l}`} />
            {series.map((s, i) => (
              <Line key={s.id} dataKey={`v${i}`} stroke={seriesColor(i)} strokeWidth={1.8} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        )}
        <SeriesLegend series={series} />
      </Card>
    </>
  );
}

/** Recall per class on the balanced validation split, one bar per variant; the rare classes are shaded. */
function ClassRecall({ series }: { series: readonly VariantSeries[] }) {
  const studies = series.map((s) => (s.result ? imbalanceOf(s.result) : undefined));
  const counts = studies.find((s) => s)?.trainCounts;
  const rows = useMemo(
    () =>
      counts
        ? counts.map((n, k) => {
            const row: Record<string, number | string> = { cls: `${k} (${n})` };
            studies.forEach((s, i) => {
              const r = s?.recall[k];
              if (r !== null && r !== undefined) row[`v${i}`] = r;
            });
            return row;
          })
        : [],
    [studies, counts],
  );
  const rare = MINORITY_CLASSES.map((k) => rows[k]?.cls).filter((x): x is string => typeof x === 'string');
  return (
    <>
      <Card title="Recall per class" info="balanced validation split; class (training images); rare classes shaded" span={2} testId="exp-chart-class-recall">
        {!rows.length ? (
          waiting(220)
        ) : (
          <BarChart data={rows} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} vertical={false} />
            {rare.length > 0 && <ReferenceArea x1={rare[0]} x2={rare[rare.length - 1]} fill="var(--series-4)" fillOpacity={0.08} />}
            <XAxis dataKey="cls" {...AXIS} interval={0} tick={{ ...AXIS.tick, fontSize: 10 }} />
            <YAxis {...AXIS} width={44} domain={[0, 1]} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [pct(x as number), nameOf(series, n)]} labelFormatter={(l) => `class ${String(l)}`} />
            {series.map((s, i) => (
              <Bar key={s.id} dataKey={`v${i}`} fill={seriesColor(i)} isAnimationActive={false} />
            ))}
          </BarChart>
        )}
        <SeriesLegend series={series} />
      </Card>
      <Card title="Rare vs common classes" info="mean recall, last epoch" testId="exp-chart-rare-common">
        {!studies.some((s) => s) ? (
          waiting(140)
        ) : (
          <>
            <div className="tp-sub">Rare classes</div>
            <HBars rows={series.map((s, i) => ({ id: s.id, name: s.name, value: studies[i]?.minorityRecall ?? null, fraction: Math.max(0.01, studies[i]?.minorityRecall ?? 0), color: seriesColor(i) }))} format={(x) => (x === null ? '—' : pct(x))} />
            <div className="tp-sub">Common classes</div>
            <HBars rows={series.map((s, i) => ({ id: s.id, name: s.name, value: studies[i]?.majorityRecall ?? null, fraction: Math.max(0.01, studies[i]?.majorityRecall ?? 0), color: seriesColor(i) }))} format={(x) => (x === null ? '—' : pct(x))} />
          </>
        )}
      </Card>
    </>
  );
}

/** One curve of a threshold table: (x, y) per threshold, sorted by x (PR: recall→precision; ROC: FPR→TPR). */
function curve(t: ThresholdStudy, kind: 'pr' | 'roc'): { x: number; y: number }[] {
  const pts = t.table.map((c) => {
    const r = rates(c);
    return kind === 'pr' ? { x: r.recall, y: r.precision } : { x: r.fpr, y: r.recall };
  });
  if (kind === 'roc') pts.push({ x: 0, y: 0 }, { x: 1, y: 1 });
  return pts.sort((a, b) => a.x - b.x || (kind === 'pr' ? b.y - a.y : a.y - b.y));
}

/** PR and ROC curves of every variant with a threshold slider: the dots and the table follow the threshold. */
function PrRoc({ series }: { series: readonly VariantSeries[] }) {
  const [t, setT] = useState(0.5);
  const studies = series.map((s) => (s.result ? thresholdOf(s.result) : undefined));
  const at = studies.map((s) => (s ? rates(s.table[Math.round(t * 100)] ?? s.table[s.table.length - 1]) : undefined));
  const chart = (kind: 'pr' | 'roc') => (
    <LineChart height={230} style={{ width: '100%' }} responsive margin={MARGIN}>
      <CartesianGrid {...GRID} />
      <XAxis dataKey="x" type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} {...AXIS} tickFormatter={(x: number) => fmt(x, 2)} />
      <YAxis dataKey="y" type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} {...AXIS} width={40} tickFormatter={(x: number) => fmt(x, 2)} />
      <Tooltip {...TOOLTIP} formatter={(x) => fmt(x as number, 3)} labelFormatter={(l) => `${kind === 'pr' ? 'recall' : 'FPR'} ${fmt(l as number, 3)}`} />
      {studies.map((st, i) => (st ? <Line key={series[i].id} data={curve(st, kind)} dataKey="y" name={series[i].name} type="linear" stroke={seriesColor(i)} strokeWidth={1.8} dot={false} isAnimationActive={false} /> : null))}
      {at.map((r, i) => (r ? <ReferenceDot key={`d${i}`} x={kind === 'pr' ? r.recall : r.fpr} y={kind === 'pr' ? r.precision : r.recall} r={5} fill={seriesColor(i)} stroke="var(--panel)" /> : null))}
    </LineChart>
  );
  const any = studies.some((s) => s);
  return (
    <>
      <Card title="Precision–recall curve" info="validation scores; dots at the slider’s threshold" testId="exp-chart-pr">
        {any ? chart('pr') : waiting(230)}
        <SeriesLegend series={series} />
      </Card>
      <Card title="ROC curve" info="TPR (recall) vs FPR" testId="exp-chart-roc">
        {any ? chart('roc') : waiting(230)}
        <SeriesLegend series={series} />
      </Card>
      <Card title="At a decision threshold" info="predicted positive when score ≥ threshold" span={2} testId="exp-threshold">
        <label className="exp-threshold-slider">
          <span>Threshold</span>
          <input type="range" min={0} max={1} step={0.01} value={t} onChange={(e) => setT(Number(e.target.value))} data-testid="exp-threshold-slider" aria-label="Decision threshold" />
          <b className="mono">{t.toFixed(2)}</b>
        </label>
        <table className="exp-threshold-table" data-testid="exp-threshold-table">
          <thead>
            <tr>
              <th>Variant</th>
              <th>Precision</th>
              <th>Recall</th>
              <th>F1</th>
              <th>Accuracy</th>
              <th>AP</th>
              <th>ROC AUC</th>
              <th>Best F1 (threshold)</th>
            </tr>
          </thead>
          <tbody>
            {series.map((s, i) => {
              const st = studies[i];
              const r = at[i];
              return (
                <tr key={s.id}>
                  <td>
                    <LegendItem color={seriesColor(i)} label={s.name} />
                  </td>
                  <td className="mono">{r ? pct(r.precision) : '—'}</td>
                  <td className="mono">{r ? pct(r.recall) : '—'}</td>
                  <td className="mono">{r ? fmt(r.f1, 3) : '—'}</td>
                  <td className="mono">{r ? pct(r.accuracy) : '—'}</td>
                  <td className="mono">{st ? pct(st.ap) : '—'}</td>
                  <td className="mono">{st ? fmt(st.auc, 3) : '—'}</td>
                  <td className="mono">{st ? `${fmt(st.bestF1.f1, 3)} (${st.bestF1.threshold.toFixed(2)})` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Card>
    </>
  );
}

/** Share of dead hidden units over the steps (and of saturated values for sigmoid/tanh), one line per variant. */
function DeadUnits({ series }: { series: readonly VariantSeries[] }) {
  const studies = series.map((s) => (s.result ? activationOf(s.result) : undefined));
  const rows = (key: 'dead' | 'saturated'): Record<string, number>[] => {
    const bySteps = new Map<number, Record<string, number>>();
    studies.forEach((st, i) =>
      st?.deadOverTime.forEach((p) => {
        const v = p[key];
        if (v !== null) bySteps.set(p.step, { ...(bySteps.get(p.step) ?? { step: p.step }), [`v${i}`]: v });
      }),
    );
    return [...bySteps.values()].sort((a, b) => a.step - b.step);
  };
  const dead = rows('dead');
  const saturated = rows('saturated');
  const satSeries = series.map((s, i) => ({ s, i })).filter(({ i }) => studies[i]?.finalSaturated !== null && studies[i]?.finalSaturated !== undefined);
  const line = (data: Record<string, number>[], title: string, info: string, testId: string, which: readonly { s: VariantSeries; i: number }[]) => (
    <Card title={title} info={info} testId={testId}>
      {!data.length ? (
        waiting(220)
      ) : (
        <LineChart data={data} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} {...AXIS} />
          <YAxis {...AXIS} width={44} domain={[0, 'auto']} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
          <Tooltip {...TOOLTIP} formatter={(x, n) => [pct(x as number), nameOf(series, n)]} labelFormatter={(l) => `step ${l}`} />
          {which.map(({ s, i }) => (
            <Line key={s.id} dataKey={`v${i}`} stroke={seriesColor(i)} strokeWidth={1.8} dot={false} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      )}
      <div className="dash-foot">
        <span className="legend">
          {which.map(({ s, i }) => (
            <LegendItem key={s.id} color={seriesColor(i)} label={s.name} />
          ))}
        </span>
      </div>
    </Card>
  );
  const all = series.map((s, i) => ({ s, i }));
  return (
    <>
      {line(dead, 'Dead hidden units over training', 'share of the 512 units with |f′(z)| < 10⁻³ on all 256 probe images', 'exp-chart-dead-units', all)}
      {line(saturated, 'Saturated values (sigmoid, tanh)', 'share of (unit, image) values with a slope under 10% of the maximum', 'exp-chart-saturation', satSeries)}
    </>
  );
}

const BN_MODES = [
  { key: 'eval', label: 'eval (running stats)' },
  { key: 'folded', label: 'BN folded' },
  { key: 'train64', label: 'train mode, shuffled ×64' },
  { key: 'trainSorted', label: 'train mode, class order ×64' },
  { key: 'train1', label: 'train mode, 1 image' },
] as const;

/** Validation accuracy of every variant in each inference mode, grouped by mode. */
function BnModes({ series }: { series: readonly VariantSeries[] }) {
  const studies = series.map((s) => (s.result ? bnModesOf(s.result) : undefined));
  const rows = useMemo(
    () =>
      BN_MODES.map((m) => {
        const row: Record<string, number | string> = { mode: m.label };
        studies.forEach((st, i) => {
          if (st) row[`v${i}`] = st.accuracy[m.key];
        });
        return row;
      }),
    [studies],
  );
  return (
    <Card title="Accuracy by inference mode" info="validation split; the same trained weights, five ways to run BN" span={2} testId="exp-chart-bn-modes">
      {!studies.some((s) => s) ? (
        waiting(220)
      ) : (
        <BarChart data={rows} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
          <CartesianGrid {...GRID} vertical={false} />
          <XAxis dataKey="mode" {...AXIS} interval={0} tick={{ ...AXIS.tick, fontSize: 10 }} />
          <YAxis {...AXIS} width={44} domain={[0, 1]} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
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

const thresholdLabel = (t: number): string => (t >= 1 ? 'none' : t.toFixed(1));

/** mAP and duplicates against the NMS IoU threshold (one trained detector; 1 = no NMS), the variants marked. */
function NmsSweep({ series }: { series: readonly VariantSeries[] }) {
  const studies = series.map((s) => (s.result ? nmsOf(s.result) : undefined));
  const sweep = studies.find((s) => s)?.sweep ?? [];
  const marks = studies.flatMap((s, i) => (s ? [{ i, p: s.at }] : []));
  const axis = { ...AXIS, dataKey: 'iouThreshold', type: 'number' as const, domain: [0.1, 1] as [number, number], ticks: sweep.map((p) => p.iouThreshold), tickFormatter: thresholdLabel };
  return (
    <>
      <Card title="mAP vs NMS IoU threshold" info="validation split; the same trained weights, NMS applied at each threshold (none = no NMS)" span={2} testId="exp-chart-nms-sweep">
        {!sweep.length ? (
          waiting(220)
        ) : (
          <LineChart data={sweep} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis {...axis} />
            <YAxis {...AXIS} width={44} domain={[0, 'auto']} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
            <Tooltip {...TOOLTIP} labelFormatter={(t) => `IoU threshold ${thresholdLabel(Number(t))}`} formatter={(x, n) => [pct(x as number), n === 'mAP50' ? 'mAP@0.5' : 'mAP@[.5:.95]']} />
            <Line dataKey="mAP50" stroke="var(--accent, #4f8cff)" strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line dataKey="mAP" stroke="#9aa4b2" strokeDasharray="4 3" dot={false} isAnimationActive={false} />
            {marks.map(({ i, p }) => (
              <ReferenceDot key={i} x={p.iouThreshold} y={p.mAP50} r={5} fill={seriesColor(i)} stroke="none" />
            ))}
          </LineChart>
        )}
        <div className="dash-foot">
          <span className="legend">
            <LegendItem color="var(--accent, #4f8cff)" label="mAP@0.5" />
            <LegendItem color="#9aa4b2" label="mAP@[.5:.95]" />
          </span>
        </div>
      </Card>
      <Card title="Duplicates per image" info={`confident boxes (score ≥ 0.3) on an object a higher-scoring box already found`} span={2} testId="exp-chart-nms-duplicates">
        {!sweep.length ? (
          waiting(220)
        ) : (
          <LineChart data={sweep} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis {...axis} />
            <YAxis {...AXIS} width={44} />
            <Tooltip {...TOOLTIP} labelFormatter={(t) => `IoU threshold ${thresholdLabel(Number(t))}`} formatter={(x, n) => [fmt(x as number), n === 'duplicatesPerImage' ? 'duplicates / image' : 'detections / image']} />
            <Line dataKey="duplicatesPerImage" stroke="#e5484d" strokeWidth={2} dot={false} isAnimationActive={false} />
            {marks.map(({ i, p }) => (
              <ReferenceDot key={i} x={p.iouThreshold} y={p.duplicatesPerImage} r={5} fill={seriesColor(i)} stroke="none" />
            ))}
          </LineChart>
        )}
        <SeriesLegend series={series} />
      </Card>
    </>
  );
}

/** The accuracies the transfer and forgetting studies report per variant (task A before/after, task B), grouped by measure. */
function TaskAccuracy({ series }: { series: readonly VariantSeries[] }) {
  const bars = series.map((s) => (s.result ? taskBarsOf(s.result.study) : undefined));
  const rows = useMemo(() => {
    const labels = new Map<string, string>();
    bars.forEach((b) => b?.forEach((x) => labels.set(x.key, x.label)));
    return [...labels].map(([key, label]) => {
      const row: Record<string, number | string> = { measure: label };
      bars.forEach((b, i) => {
        const hit = b?.find((x) => x.key === key);
        if (hit) row[`v${i}`] = hit.value;
      });
      return row;
    });
  }, [bars]);
  return (
    <Card title="Accuracy by task" info="validation digits; each task scored with its own head" span={2} testId="exp-chart-task-accuracy">
      {!bars.some((b) => b) ? (
        waiting(220)
      ) : (
        <BarChart data={rows} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
          <CartesianGrid {...GRID} vertical={false} />
          <XAxis dataKey="measure" {...AXIS} interval={0} tick={{ ...AXIS.tick, fontSize: 10 }} />
          <YAxis {...AXIS} width={44} domain={[0, 1]} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
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

/** The study chart for a kind, or null when the kind is not a study chart. */
export function studyChart(kind: ChartKind, series: readonly VariantSeries[]): ReactNode | null {
  switch (kind) {
    case 'class_recall':
      return <ClassRecall key={kind} series={series} />;
    case 'pr_roc':
      return <PrRoc key={kind} series={series} />;
    case 'bn_modes':
      return <BnModes key={kind} series={series} />;
    case 'task_accuracy':
      return <TaskAccuracy key={kind} series={series} />;
    case 'dead_units':
      return <DeadUnits key={kind} series={series} />;
    case 'nms_sweep':
      return <NmsSweep key={kind} series={series} />;
    case 'detection_heads':
      return <DetectionHeads key={kind} series={series} />;
    case 'detection_negatives':
      return <DetectionNegatives key={kind} series={series} />;
    case 'weight_histogram':
      return <WeightHistogram key={kind} series={series} />;
    case 'output_probs':
      return <OutputProbabilities key={kind} series={series} />;
    default:
      return null;
  }
}
