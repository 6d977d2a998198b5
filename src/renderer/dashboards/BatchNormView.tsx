import { memo, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ComposedChart, Line, ReferenceLine, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { bnGap, BN_GAP_WARN } from '../../shared/training/diagnostics';
import { BN_CHANNELS } from '../telemetry/probes';
import { useRunVersion } from '../telemetry/react';
import type { RunTelemetry } from '../telemetry/run';
import { AXIS, Card, Empty, fmt, GRID, layerLines, LegendItem, StepLineChart, TOOLTIP } from './chartKit';
import { DiagnosticsList } from './Diagnostics';
import { LayerPicker, ramp } from './LayerPicker';
import { useDashLinks } from './links';
import { nodeLabels } from './runInfo';

const H = 200;
const MAX_CHANNELS = 64;

function histogramOf(values: readonly number[], bins = 16): { x: string; n: number }[] {
  if (values.length === 0) return [];
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const w = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / w))]++;
  return counts.map((n, i) => ({ x: fmt(lo + (i + 0.5) * w, 2), n }));
}

function BatchNormViewInner({ run }: { run: RunTelemetry }) {
  const v = useRunVersion(run, 'probes');
  const links = useDashLinks();
  const labels = useMemo(() => nodeLabels(run), [run]);
  const layout = run.probes.layout;
  const bns = layout?.batchnorms ?? [];
  const [picked, setPicked] = useState('');
  const key = bns.some((b) => b.key === picked) ? picked : (bns[0]?.key ?? '');
  const index = bns.findIndex((b) => b.key === key);
  const label = (node: string) => links.nodeLabel?.(node) ?? labels.get(node) ?? node;

  const overTime = useMemo(() => {
    if (index < 0) return null;
    const frames = run.probes.list();
    const C = Math.min(BN_CHANNELS, bns[index].channels ?? BN_CHANNELS);
    const base = index * 4 * BN_CHANNELS;
    const mean = frames.map((f) => {
      const r: Record<string, number> = { step: f.step };
      for (let c = 0; c < C; c++) r[`c${c}`] = f.bnStats[base + c];
      return r;
    });
    const variance = frames.map((f) => {
      const r: Record<string, number> = { step: f.step };
      for (let c = 0; c < C; c++) r[`c${c}`] = f.bnStats[base + BN_CHANNELS + c];
      return r;
    });
    const gap = frames.map((f) => {
      const r: Record<string, number> = { step: f.step };
      bns.forEach((b, i) => (r[b.key] = f.bnGap[i * 2]));
      return r;
    });
    return { C, mean, variance, gap };
  }, [run, v, index, bns]);

  const latest = useMemo(() => {
    const layer = run.latestProbe?.layers.find((l) => l.kind === 'batchnorm' && l.layer === key);
    const bn = layer?.batchnorm;
    if (!bn) return null;
    const n = Math.min(MAX_CHANNELS, bn.runningMean.length);
    const channels = Array.from({ length: n }, (_, c) => ({ c, runningMean: bn.runningMean[c], batchMean: bn.batchMean[c], runningVar: bn.runningVar[c], batchVar: bn.batchVar[c] }));
    return { channels, total: bn.runningMean.length, gamma: histogramOf(bn.gamma ?? []), beta: histogramOf(bn.beta ?? []), gap: bnGap(bn), step: run.latestProbe!.step };
  }, [run, v, key]);

  if (!layout) return <Empty height={300}>BatchNorm statistics appear with the first probe.</Empty>;
  if (bns.length === 0)
    return (
      <div className="dash-grid" data-testid="dash-batchnorm">
        <Empty height={300}>
          <div>
            <b>This network has no BatchNorm layer.</b>
            <p className="muted">Add one after a conv or dense layer (Conv → BN → ReLU) to see its running statistics, its batch statistics and the train/eval gap here.</p>
          </div>
        </Empty>
      </div>
    );

  const lines = (C: number) => Array.from({ length: C }, (_, c) => <Line key={c} dataKey={`c${c}`} stroke={ramp(c, C)} strokeWidth={1.3} dot={false} isAnimationActive={false} name={`ch ${c}`} />);
  return (
    <div className="dash-grid" data-testid="dash-batchnorm">
      <div className="span-2 dash-toolbar">
        <LayerPicker layers={bns} value={key} onChange={setPicked} label={(m) => label(m.node)} describe={(m) => `${m.channels} channels`} testId="bn-layer" />
        {latest && (
          <span className="muted">
            train/eval gap at step {latest.step}: mean shift <b className="mono">{fmt(latest.gap.meanShift)} σ</b>, variance shift <b className="mono">{fmt(latest.gap.varShift)}</b>
          </span>
        )}
      </div>
      <div className="span-2">
        <DiagnosticsList run={run} only={['bn-gap']} />
      </div>
      <Card title="Running mean per channel" info={overTime ? `first ${overTime.C} channels over time` : undefined} testId="chart-bn-running-mean">
        {overTime && (
          <StepLineChart data={overTime.mean} height={H}>
            {lines(overTime.C)}
          </StepLineChart>
        )}
      </Card>
      <Card title="Running variance per channel" info={overTime ? `first ${overTime.C} channels over time` : undefined} testId="chart-bn-running-var">
        {overTime && (
          <StepLineChart data={overTime.variance} height={H}>
            {lines(overTime.C)}
          </StepLineChart>
        )}
      </Card>
      <Card
        title="Batch vs running mean"
        info={latest ? `per channel${latest.total > MAX_CHANNELS ? ` (first ${MAX_CHANNELS} of ${latest.total})` : ''}` : undefined}
        right={
          <span className="legend" title="Training normalises with the batch statistics, evaluation with the running ones">
            <LegendItem color="var(--series-1)" label="running · eval" />
            <LegendItem color="var(--series-2)" label="batch · train" />
          </span>
        }
        testId="chart-bn-batch-mean"
      >
        {latest && (
          <ComposedChart data={latest.channels} height={H} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 0, left: -8 }}>
            <CartesianGrid {...GRID} vertical={false} />
            <XAxis dataKey="c" {...AXIS} />
            <YAxis {...AXIS} tickFormatter={(x: number) => fmt(x, 2)} width={44} />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [fmt(x as number), n]} labelFormatter={(l) => `channel ${l}`} />
            <Bar dataKey="runningMean" fill="var(--series-1)" fillOpacity={0.55} isAnimationActive={false} name="running mean" />
            <Scatter dataKey="batchMean" fill="var(--series-2)" isAnimationActive={false} name="batch mean" />
          </ComposedChart>
        )}
      </Card>
      <Card
        title="Batch vs running variance"
        info={latest ? 'per channel' : undefined}
        right={
          <span className="legend" title="Training normalises with the batch statistics, evaluation with the running ones">
            <LegendItem color="var(--series-1)" label="running · eval" />
            <LegendItem color="var(--series-2)" label="batch · train" />
          </span>
        }
        testId="chart-bn-batch-var"
      >
        {latest && (
          <ComposedChart data={latest.channels} height={H} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 0, left: -8 }}>
            <CartesianGrid {...GRID} vertical={false} />
            <XAxis dataKey="c" {...AXIS} />
            <YAxis {...AXIS} tickFormatter={(x: number) => fmt(x, 2)} width={44} domain={[0, 'auto']} />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [fmt(x as number), n]} labelFormatter={(l) => `channel ${l}`} />
            <Bar dataKey="runningVar" fill="var(--series-1)" fillOpacity={0.55} isAnimationActive={false} name="running var" />
            <Scatter dataKey="batchVar" fill="var(--series-2)" isAnimationActive={false} name="batch var" />
          </ComposedChart>
        )}
      </Card>
      <Card title="γ (scale) and β (shift)" info="distribution over channels, latest" testId="chart-bn-gamma-beta">
        {latest && (
          <div className="twin">
            <div>
              <div className="twin-title">γ</div>
              <BarChart data={latest.gamma} height={H - 20} style={{ width: '100%' }} responsive margin={{ top: 4, right: 6, bottom: 0, left: -18 }}>
                <XAxis dataKey="x" {...AXIS} interval="preserveStartEnd" />
                <YAxis {...AXIS} allowDecimals={false} width={36} />
                <Tooltip {...TOOLTIP} formatter={(x) => [x as number, 'channels']} />
                <Bar dataKey="n" fill="var(--series-4)" isAnimationActive={false} />
              </BarChart>
            </div>
            <div>
              <div className="twin-title">β</div>
              <BarChart data={latest.beta} height={H - 20} style={{ width: '100%' }} responsive margin={{ top: 4, right: 6, bottom: 0, left: -18 }}>
                <XAxis dataKey="x" {...AXIS} interval="preserveStartEnd" />
                <YAxis {...AXIS} allowDecimals={false} width={36} />
                <Tooltip {...TOOLTIP} formatter={(x) => [x as number, 'channels']} />
                <Bar dataKey="n" fill="var(--series-5)" isAnimationActive={false} />
              </BarChart>
            </div>
          </div>
        )}
      </Card>
      <Card title="Train/eval gap over time" info="mean |batch − running| / σ, every BN layer" testId="chart-bn-gap">
        {overTime && (
          <StepLineChart data={overTime.gap} height={H} yDomain={[0, 'auto']} seriesName={(n) => label(bns.find((b) => b.key === n)?.node ?? String(n))}>
            <ReferenceLine y={BN_GAP_WARN} stroke="var(--warning)" strokeDasharray="4 3" />
            {layerLines(bns.map((b) => b.key), key, 0.6)}
          </StepLineChart>
        )}
      </Card>
    </div>
  );
}

export const BatchNormView = memo(BatchNormViewInner);
