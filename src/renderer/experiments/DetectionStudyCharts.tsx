import { useMemo, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { anchorsOf, FOUND_SCORE } from '../../shared/experiments/catalog/detectionAnchors';
import { atRecall, EASY_NEGATIVE, hardNegativesOf, matchedRecall } from '../../shared/experiments/catalog/detectionHardNegatives';
import { AXIS, Card, Empty, fmt, GRID, pct, SeriesLegend, seriesColor, TOOLTIP } from '../dashboards/chartKit';
import { HBars } from './Charts';
import type { VariantSeries } from './model';

/** Charts of the anchors and hard-negatives detection studies (VariantResult.study). */

const MARGIN = { top: 8, right: 14, bottom: 0, left: -8 };
const waiting = (height = 200): ReactNode => <Empty height={height}>Appears when a variant has finished.</Empty>;
const nameOf = (series: readonly VariantSeries[], n: unknown): string => series[Number(String(n).slice(1))]?.name ?? String(n);
const percentTick = (x: number): string => `${Math.round(x * 100)}%`;

/** Grouped bars: one group per row label, one bar per variant (values keyed v0, v1 …). */
function GroupedBars({ rows, series, percent = true, height = 220 }: { rows: Record<string, number | string>[]; series: readonly VariantSeries[]; percent?: boolean; height?: number }) {
  return (
    <BarChart data={rows} height={height} style={{ width: '100%' }} responsive margin={MARGIN}>
      <CartesianGrid {...GRID} vertical={false} />
      <XAxis dataKey="label" {...AXIS} interval={0} tick={{ ...AXIS.tick, fontSize: 10 }} />
      <YAxis {...AXIS} width={44} domain={percent ? [0, 1] : [0, 'auto']} tickFormatter={percent ? percentTick : (x: number) => fmt(x, 2)} />
      <Tooltip {...TOOLTIP} formatter={(x, n) => [percent ? pct(x as number) : fmt(x as number, 3), nameOf(series, n)]} />
      {series.map((s, i) => (
        <Bar key={s.id} dataKey={`v${i}`} fill={seriesColor(i)} isAnimationActive={false} />
      ))}
    </BarChart>
  );
}

/** Anchor-based vs anchor-free: recall by object size, the training targets' imbalance, and what NMS does to each. */
export function DetectionHeads({ series }: { series: readonly VariantSeries[] }) {
  const studies = series.map((s) => (s.result ? anchorsOf(s.result) : undefined));
  const sizes = useMemo(() => {
    const first = studies.find((s) => s);
    if (!first) return [];
    return first.bySize.map((b, k) => {
      const row: Record<string, number | string> = { label: `${b.lo}–${b.hi} px (${b.objects})` };
      studies.forEach((s, i) => {
        const r = s?.bySize[k]?.recall;
        if (r !== null && r !== undefined) row[`v${i}`] = r;
      });
      return row;
    });
  }, [studies]);
  const nms = useMemo(
    () =>
      [
        { label: 'mAP@0.5, NMS 0.5', get: (i: number) => studies[i]?.nms.mAP50 },
        { label: 'mAP@0.5, no NMS', get: (i: number) => studies[i]?.noNms.mAP50 },
        { label: 'mAP@[.5:.95], NMS 0.5', get: (i: number) => studies[i]?.nms.mAP },
      ].map(({ label, get }) => {
        const row: Record<string, number | string> = { label };
        series.forEach((_, i) => {
          const v = get(i);
          if (v !== undefined) row[`v${i}`] = v;
        });
        return row;
      }),
    [studies, series],
  );
  const any = studies.some((s) => s);
  const bars = (value: (i: number) => number | undefined, digits = 1) => {
    const max = Math.max(1e-9, ...series.map((_, i) => value(i) ?? 0));
    return <HBars rows={series.map((s, i) => ({ id: s.id, name: s.name, value: value(i) ?? null, fraction: Math.max(0.01, (value(i) ?? 0) / max), color: seriesColor(i) }))} format={(x) => (x === null ? '—' : x.toFixed(digits))} />;
  };
  return (
    <>
      <Card title="Recall by object size" info={`validation objects by √(w·h) (count); found: a box of its class with IoU ≥ 0.5 and score ≥ ${FOUND_SCORE}, after NMS`} span={2} testId="exp-chart-size-recall">
        {!sizes.length ? waiting(220) : <GroupedBars rows={sizes} series={series} />}
        <SeriesLegend series={series} />
      </Card>
      <Card title="mAP with and without NMS" info="validation split; the same trained weights, NMS at IoU 0.5 or none" testId="exp-chart-heads-nms">
        {!any ? waiting(220) : <GroupedBars rows={nms} series={series} />}
        <SeriesLegend series={series} />
      </Card>
      <Card title="Training targets" info="over the training epoch: what the head’s assignment asks it to learn" testId="exp-chart-assignment">
        {!any ? (
          waiting(220)
        ) : (
          <>
            <div className="tp-sub">Negatives per positive</div>
            {bars((i) => studies[i]?.assignment.negativesPerPositive)}
            <div className="tp-sub">Positives per object</div>
            {bars((i) => studies[i]?.assignment.positivesPerObject, 2)}
            <div className="tp-sub">Duplicates per image without NMS</div>
            {bars((i) => studies[i]?.noNms.duplicatesPerImage, 2)}
          </>
        )}
      </Card>
    </>
  );
}

/** BCE vs hard negative mining vs focal: the easy negatives' share of the loss over training, and false positives against recall. */
export function DetectionNegatives({ series }: { series: readonly VariantSeries[] }) {
  const studies = series.map((s) => (s.result ? hardNegativesOf(s.result) : undefined));
  const shares = useMemo(() => {
    const bySteps = new Map<number, Record<string, number>>();
    studies.forEach((st, i) => st?.shares.forEach((p) => bySteps.set(p.step, { ...(bySteps.get(p.step) ?? { step: p.step }), [`v${i}`]: p.easyNegatives })));
    return [...bySteps.values()].sort((a, b) => a.step - b.step);
  }, [studies]);
  const recall = matchedRecall(studies);
  const any = studies.some((s) => s);
  // The low thresholds add mostly false positives: show up to twice the most any variant needs for the matched recall.
  const fpMax = Math.max(1, ...studies.map((st) => (st && recall !== undefined ? 2 * (atRecall(st.sweep, recall)?.fpPerImage ?? 0) : 0)));
  return (
    <>
      <Card title="Easy negatives’ share of the objectness loss" info={`every 10 training steps; easy: σ(objectness) < ${EASY_NEGATIVE}, as each variant weighs its loss`} span={2} testId="exp-chart-easy-share">
        {!shares.length ? (
          waiting(220)
        ) : (
          <LineChart data={shares} height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} {...AXIS} />
            <YAxis {...AXIS} width={44} domain={[0, 'auto']} tickFormatter={percentTick} />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [pct(x as number), nameOf(series, n)]} labelFormatter={(l) => `step ${l}`} />
            {series.map((s, i) => (
              <Line key={s.id} dataKey={`v${i}`} stroke={seriesColor(i)} strokeWidth={1.8} dot={false} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        )}
        <SeriesLegend series={series} />
      </Card>
      <Card title="Recall vs false positives per image" info="validation split after NMS, one point per confidence threshold (0.01–0.99), up to twice the false positives the matched recall needs; dashed: the recall the verdict compares at" testId="exp-chart-froc">
        {!any ? (
          waiting(220)
        ) : (
          <LineChart height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="fpPerImage" type="number" domain={[0, Math.ceil(fpMax)]} allowDataOverflow {...AXIS} tickFormatter={(x: number) => fmt(x, 2)} />
            <YAxis dataKey="recall" type="number" domain={[0, 1]} {...AXIS} width={44} tickFormatter={percentTick} />
            <Tooltip {...TOOLTIP} formatter={(x) => pct(x as number)} labelFormatter={(l) => `${fmt(l as number, 3)} false positives / image`} />
            {recall !== undefined && <ReferenceLine y={recall} stroke="var(--muted, #9aa4b2)" strokeDasharray="4 3" />}
            {studies.map((st, i) => (st ? <Line key={series[i].id} data={[...st.sweep].sort((a, b) => a.fpPerImage - b.fpPerImage)} dataKey="recall" name={series[i].name} stroke={seriesColor(i)} strokeWidth={1.8} dot={false} isAnimationActive={false} /> : null))}
          </LineChart>
        )}
        <SeriesLegend series={series} />
      </Card>
      <Card title="False positives per image by threshold" info="detections kept at score ≥ threshold that match no object (or one already found)" testId="exp-chart-fp-threshold">
        {!any ? (
          waiting(220)
        ) : (
          <LineChart height={220} style={{ width: '100%' }} responsive margin={MARGIN}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="threshold" type="number" domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} {...AXIS} tickFormatter={(x: number) => fmt(x, 2)} />
            <YAxis dataKey="fpPerImage" type="number" domain={[0, Math.ceil(fpMax)]} allowDataOverflow {...AXIS} width={44} tickFormatter={(x: number) => fmt(x, 2)} />
            <Tooltip {...TOOLTIP} formatter={(x) => fmt(x as number, 3)} labelFormatter={(l) => `threshold ${fmt(l as number, 2)}`} />
            {studies.map((st, i) => (st ? <Line key={series[i].id} data={st.sweep} dataKey="fpPerImage" name={series[i].name} stroke={seriesColor(i)} strokeWidth={1.8} dot={false} isAnimationActive={false} /> : null))}
          </LineChart>
        )}
        <SeriesLegend series={series} />
      </Card>
    </>
  );
}
