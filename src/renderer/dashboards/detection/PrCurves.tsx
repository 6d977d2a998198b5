import { useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { DetectionReport } from '../../../shared/training/telemetry';
import { AXIS, Empty, GRID, LegendItem, seriesColor, TOOLTIP } from '../chartKit';
import { classesWithCurve, curveLabel, prRows } from './detectionData';
import './detection.css';

/** Precision–recall curves at IoU 0.5, one per class (all overlaid, or one picked), AP in the legend. */
export function PrCurves({ report, names }: { report: DetectionReport; names: string[] }) {
  const available = useMemo(() => classesWithCurve(report), [report]);
  const [pick, setPick] = useState<'all' | number>('all');
  const shown = pick === 'all' || !available.includes(pick) ? available : [pick];
  const rows = useMemo(() => prRows(report, shown), [report, shown.join()]);
  if (available.length === 0) return <Empty height={220}>No class has ground truth in the evaluated images.</Empty>;
  return (
    <div data-testid="pr-curves" data-classes={shown.length}>
      <div className="pr-toolbar">
        <label className="muted">
          class{' '}
          <select value={String(pick)} onChange={(e) => setPick(e.target.value === 'all' ? 'all' : Number(e.target.value))} data-testid="pr-class">
            <option value="all">all classes</option>
            {available.map((i) => (
              <option key={i} value={i}>
                {names[i] ?? i}
              </option>
            ))}
          </select>
        </label>
        <span className="pr-legend" data-testid="pr-legend">
          {shown.map((i) => (
            <LegendItem key={i} color={seriesColor(i)} label={curveLabel(names[i] ?? String(i), report.perClass[i].ap50)} />
          ))}
        </span>
      </div>
      <LineChart data={rows} height={240} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 18, left: 0 }}>
        <CartesianGrid {...GRID} />
        <XAxis dataKey="recall" type="number" domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} {...AXIS} label={{ value: 'recall', position: 'insideBottom', offset: -8, fill: 'var(--muted)', fontSize: 10 }} />
        <YAxis domain={[0, 1]} ticks={[0, 0.2, 0.4, 0.6, 0.8, 1]} {...AXIS} width={48} tickFormatter={(x: number) => x.toFixed(1)} label={{ value: 'precision', angle: -90, position: 'insideLeft', offset: 14, fill: 'var(--muted)', fontSize: 10 }} />
        <Tooltip {...TOOLTIP} labelFormatter={(r) => `recall ${Number(r).toFixed(2)}`} formatter={(v, key) => [Number(v).toFixed(3), `precision · ${names[Number(String(key).slice(1))] ?? key}`]} />
        {shown.map((i) => (
          <Line key={i} dataKey={`c${i}`} type="stepAfter" stroke={seriesColor(i)} strokeWidth={1.6} dot={false} isAnimationActive={false} />
        ))}
      </LineChart>
    </div>
  );
}
