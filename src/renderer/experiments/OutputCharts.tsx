import { useMemo, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, Scatter, ComposedChart, Tooltip, XAxis, YAxis } from 'recharts';
import { DECISION, outputOf, PROB_BINS, SUM_BINS, SUM_MAX, SUM_MIN, type OutputStudy } from '../../shared/experiments/catalog/softmaxSigmoid';
import { AXIS, Card, Empty, fmt, GRID, pct, SeriesLegend, seriesColor, TOOLTIP } from '../dashboards/chartKit';
import { HBars } from './Charts';
import type { VariantSeries } from './model';

/** Charts of the softmax-vs-sigmoid study: Σp, calibration, two-digit images and clothes, one series per variant. */

const MARGIN = { top: 8, right: 14, bottom: 0, left: -8 };
const nameOf = (series: readonly VariantSeries[], n: unknown): string => series[Number(String(n).slice(1))]?.name ?? String(n);
const waiting = (height = 200): ReactNode => <Empty height={height}>Appears when a variant has finished.</Empty>;
const percentTick = (x: number): string => `${Math.round(x * 100)}%`;

/** Rows { x: bin centre, v<i>: share } of a per-variant histogram. */
function histogramRows(studies: readonly (OutputStudy | undefined)[], pick: (s: OutputStudy) => number[], lo: number, hi: number, bins: number): Record<string, number>[] {
  if (!studies.some((s) => s)) return [];
  return Array.from({ length: bins }, (_, b) => {
    const row: Record<string, number> = { x: lo + ((b + 0.5) * (hi - lo)) / bins };
    studies.forEach((s, i) => {
      if (s) row[`v${i}`] = pick(s)[b];
    });
    return row;
  });
}

export function OutputProbabilities({ series }: { series: readonly VariantSeries[] }) {
  const studies = series.map((s) => (s.result ? outputOf(s.result) : undefined));
  const sums = useMemo(() => histogramRows(studies, (s) => s.single.sumHistogram, SUM_MIN, SUM_MAX, SUM_BINS), [studies]);
  const ood = useMemo(() => histogramRows(studies, (s) => s.ood.maxHistogram, 0, 1, PROB_BINS), [studies]);
  const counts = useMemo(
    () =>
      studies.some((s) => s)
        ? ['0', '1', '2', '3+'].map((label, c) => {
            const row: Record<string, number | string> = { n: label };
            studies.forEach((s, i) => {
              if (s) row[`v${i}`] = s.pairs.labelCounts[c];
            });
            return row;
          })
        : [],
    [studies],
  );
  const any = studies.some((s) => s);
  const lines = (dash?: boolean) =>
    series.map((s, i) => (studies[i] ? <Line key={s.id} dataKey={`v${i}`} type="step" stroke={seriesColor(i)} strokeWidth={1.8} strokeDasharray={dash && i % 2 ? '5 3' : undefined} dot={false} isAnimationActive={false} /> : null));
  return (
    <>
      <Card title="Σp per digit image" info={`single validation digits: the sum of the 10 class probabilities (softmax: exactly 1)`} testId="exp-chart-prob-sum">
        {!sums.length ? (
          waiting(220)
        ) : (
          <LineChart data={sums} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="x" type="number" domain={[SUM_MIN, SUM_MAX]} ticks={[0, 0.5, 1, 1.5, 2]} {...AXIS} tickFormatter={(x: number) => fmt(x, 2)} />
            <YAxis {...AXIS} width={44} tickFormatter={percentTick} />
            <ReferenceLine x={1} stroke="var(--muted)" strokeDasharray="3 3" />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [pct(x as number), nameOf(series, n)]} labelFormatter={(l) => `Σp ≈ ${fmt(l as number, 2)}`} />
            {lines(true)}
          </LineChart>
        )}
        <SeriesLegend series={series} />
      </Card>
      <Card title="Reliability diagram" info="single digits binned by the top-1 probability: accuracy per bin (on the diagonal = calibrated)" testId="exp-chart-reliability">
        {!any ? (
          waiting(220)
        ) : (
          <ComposedChart height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="confidence" type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} {...AXIS} tickFormatter={(x: number) => fmt(x, 2)} />
            <YAxis dataKey="accuracy" type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} {...AXIS} width={44} tickFormatter={percentTick} />
            <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="var(--muted)" strokeDasharray="3 3" />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [n === 'accuracy' ? pct(x as number) : fmt(x as number, 3), String(n)]} />
            {studies.map((st, i) => (st ? <Line key={series[i].id} data={st.single.reliability} dataKey="accuracy" name={series[i].name} stroke={seriesColor(i)} strokeWidth={1.8} dot={{ r: 2.5 }} isAnimationActive={false} /> : null))}
            {studies.map((st, i) => (st ? <Scatter key={`s${series[i].id}`} data={st.single.reliability} dataKey="accuracy" fill={seriesColor(i)} isAnimationActive={false} legendType="none" /> : null))}
          </ComposedChart>
        )}
        <div className="dash-foot">
          <span className="muted">ECE: {series.map((s, i) => (studies[i] ? `${s.name.split(' ·')[0].split(' +')[0]}${s.id.endsWith('multi') ? ' (1–2)' : ''} ${pct(studies[i]!.single.ece)}` : null)).filter(Boolean).join(' · ')}</span>
        </div>
      </Card>
      <Card title={`Two overlaid digits: classes with p ≥ ${DECISION}`} info="share of images by how many classes the model names (the right answer is 2)" testId="exp-chart-pair-labels">
        {!counts.length ? (
          waiting(220)
        ) : (
          <BarChart data={counts} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} vertical={false} />
            <XAxis dataKey="n" {...AXIS} />
            <YAxis {...AXIS} width={44} domain={[0, 1]} tickFormatter={percentTick} />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [pct(x as number), nameOf(series, n)]} labelFormatter={(l) => `${String(l)} classes named`} />
            {series.map((s, i) => (
              <Bar key={s.id} dataKey={`v${i}`} fill={seriesColor(i)} isAnimationActive={false} />
            ))}
          </BarChart>
        )}
        <SeriesLegend series={series} />
      </Card>
      <Card title="Clothes (no digit): highest class probability" info="Fashion-MNIST images; share per bin of max_k p_k (a digit is named when it reaches 0.5)" testId="exp-chart-ood-max">
        {!ood.length ? (
          waiting(220)
        ) : (
          <LineChart data={ood} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="x" type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} {...AXIS} tickFormatter={(x: number) => fmt(x, 2)} />
            <YAxis {...AXIS} width={44} tickFormatter={percentTick} />
            <ReferenceLine x={DECISION} stroke="var(--muted)" strokeDasharray="3 3" />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [pct(x as number), nameOf(series, n)]} labelFormatter={(l) => `max p ≈ ${fmt(l as number, 2)}`} />
            {lines(true)}
          </LineChart>
        )}
        <SeriesLegend series={series} />
      </Card>
      <Card title="Headline numbers" info="exact two-digit sets at p ≥ 0.5; clothes on which some digit reaches 0.5" span={2} testId="exp-chart-output-bars">
        {!any ? (
          waiting(140)
        ) : (
          <>
            <div className="tp-sub">Two overlaid digits: exactly both named</div>
            <HBars rows={series.map((s, i) => ({ id: s.id, name: s.name, value: studies[i]?.pairs.exactSet ?? null, fraction: Math.max(0.01, studies[i]?.pairs.exactSet ?? 0), color: seriesColor(i) }))} format={(x) => (x === null ? '—' : pct(x))} />
            <div className="tp-sub">Clothes: a digit still named (lower is better)</div>
            <HBars rows={series.map((s, i) => ({ id: s.id, name: s.name, value: studies[i]?.ood.confidentShare ?? null, fraction: Math.max(0.01, studies[i]?.ood.confidentShare ?? 0), color: seriesColor(i) }))} format={(x) => (x === null ? '—' : pct(x))} />
          </>
        )}
      </Card>
    </>
  );
}
