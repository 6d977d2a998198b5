import { memo, useMemo, useState } from 'react';
import { Area, Bar, BarChart, CartesianGrid, Cell, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { DEAD_RELU_WARN, SATURATED_WARN } from '../../shared/training/diagnostics';
import type { LayerMeta } from '../telemetry/probes';
import { useRunVersion } from '../telemetry/react';
import type { RunTelemetry } from '../telemetry/run';
import { AXIS, Card, Empty, fmt, GRID, layerLines, LegendItem, pct, Segmented, StepLineChart, TOOLTIP } from './chartKit';
import { DiagnosticsList } from './Diagnostics';
import { HistogramOverTime, type HistFrame } from './HistogramOverTime';
import { LayerPicker } from './LayerPicker';
import { useDashLinks } from './links';
import { nodeLabels } from './runInfo';

const H = 210;

function useLabel(run: RunTelemetry) {
  const links = useDashLinks();
  const labels = useMemo(() => nodeLabels(run), [run]);
  return (m: Pick<LayerMeta, 'node' | 'layer'>) => {
    const base = links.nodeLabel?.(m.node) ?? labels.get(m.node) ?? m.node;
    const copy = /#(\d+)/.exec(m.layer);
    return copy ? `${base} #${copy[1]}` : base;
  };
}

const kindOf = (m: LayerMeta): string => (m.watch === 'dead' ? 'ReLU' : m.watch === 'saturated' ? 'sigmoid/tanh' : 'other');

function ActivationsViewInner({ run }: { run: RunTelemetry }) {
  const v = useRunVersion(run, 'probes');
  const label = useLabel(run);
  const links = useDashLinks();
  const acts = run.probes.layout?.activations ?? [];
  const [picked, setPicked] = useState('');
  const [mode, setMode] = useState<'ridgeline' | 'heatmap'>('ridgeline');
  const key = acts.some((a) => a.key === picked) ? picked : (acts[0]?.key ?? '');
  const index = acts.findIndex((a) => a.key === key);

  const health = useMemo(() => {
    const f = run.probes.list();
    const last = f[f.length - 1];
    if (!last) return null;
    const rows = acts.map((m, i) => {
      const dead = last.actStats[i * 4 + 2];
      const sat = last.actStats[i * 4 + 3];
      const value = m.watch === 'dead' ? dead : m.watch === 'saturated' ? sat : NaN;
      const limit = m.watch === 'dead' ? DEAD_RELU_WARN : SATURATED_WARN;
      return { key: m.key, node: m.node, label: label(m), kind: kindOf(m), value: Number.isFinite(value) ? value : 0, bad: value > limit, watched: m.watch !== 'none' };
    });
    const stats = acts.map((m, i) => {
      const mean = last.actStats[i * 4];
      const std = last.actStats[i * 4 + 1];
      return { key: m.key, label: label(m), mean, band: [mean - std, mean + std] as [number, number] };
    });
    const overTime = f.map((fr) => {
      const r: Record<string, number> = { step: fr.step };
      acts.forEach((m, i) => {
        if (m.watch === 'dead') r[m.key] = fr.actStats[i * 4 + 2];
        else if (m.watch === 'saturated') r[m.key] = fr.actStats[i * 4 + 3];
      });
      return r;
    });
    return { rows, stats, overTime, step: last.step };
  }, [run, v, acts, label]);

  const frames = useMemo<HistFrame[]>(() => {
    const layout = run.probes.layout;
    if (!layout || index < 0) return [];
    const bins = layout.bins;
    return run.probes.list().map((f) => ({ step: f.step, hist: { min: f.actRange[index * 2], max: f.actRange[index * 2 + 1], counts: f.actHist.subarray(index * bins, (index + 1) * bins) } }));
  }, [run, v, index]);

  if (!run.probes.layout) return <Empty height={300}>Activation statistics appear with the first probe.</Empty>;
  if (acts.length === 0)
    return (
      <Empty height={300}>
        <div>
          <b>This network has no separate activation block.</b>
          <p className="muted">Activations are watched on activation blocks (ReLU, sigmoid, tanh, …).</p>
        </div>
      </Empty>
    );
  const watched = acts.filter((a) => a.watch !== 'none');
  return (
    <div className="dash-grid" data-testid="dash-activations">
      <div className="span-2">
        <DiagnosticsList run={run} only={['dead-relu', 'saturated']} />
      </div>
      <Card
        title="Dead ReLUs and saturated units per layer"
        info={health ? `step ${health.step}` : undefined}
        right={
          <span className="legend">
            <LegendItem color="var(--series-1)" label="ReLU: dead channels" />
            <LegendItem color="var(--series-5)" label="sigmoid/tanh: saturated" />
            <LegendItem color="var(--error)" label={`> ${DEAD_RELU_WARN * 100}%`} />
          </span>
        }
        span={2}
        testId="chart-act-health"
      >
        {health && watched.length > 0 ? (
          <div data-testid="act-health-bars" data-bars={health.rows.filter((r) => r.watched).length}>
            <BarChart data={health.rows.filter((r) => r.watched)} height={H} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 24, left: -8 }}>
              <CartesianGrid {...GRID} vertical={false} />
              <XAxis dataKey="key" {...AXIS} interval={watched.length > 24 ? 'preserveStartEnd' : 0} tickFormatter={(_k: string, i: number) => health.rows.filter((r) => r.watched)[i]?.label ?? ''} angle={-30} textAnchor="end" height={40} />
              <YAxis {...AXIS} domain={[0, 1]} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} width={44} />
              <Tooltip {...TOOLTIP} cursor={{ fill: 'var(--hover)' }} formatter={(x, _n, item) => [pct(x as number), (item.payload as { kind: string }).kind === 'ReLU' ? 'dead channels' : 'saturated outputs']} labelFormatter={(_l, p) => (p?.[0]?.payload as { label?: string } | undefined)?.label ?? ''} />
              <ReferenceLine y={DEAD_RELU_WARN} stroke="var(--error)" strokeDasharray="4 3" />
              <Bar dataKey="value" isAnimationActive={false} cursor="pointer" onClick={(d) => links.focusNodes([(d as unknown as { payload: { node: string } }).payload.node])}>
                {health.rows
                  .filter((r) => r.watched)
                  .map((r) => (
                    <Cell key={r.key} fill={r.bad ? 'var(--error)' : r.kind === 'ReLU' ? 'var(--series-1)' : 'var(--series-5)'} />
                  ))}
              </Bar>
            </BarChart>
          </div>
        ) : (
          <Empty height={H}>No ReLU, sigmoid or tanh block to watch.</Empty>
        )}
      </Card>
      <Card
        title="Activation histogram over time"
        right={<Segmented value={mode} onChange={setMode} options={[{ value: 'ridgeline', label: 'Ridgeline' }, { value: 'heatmap', label: 'Heatmap' }]} testId="act-hist-mode" />}
        span={2}
        testId="chart-act-hist"
      >
        <div className="dash-toolbar">
          <LayerPicker layers={acts} value={key} onChange={setPicked} label={label} describe={kindOf} testId="act-layer" />
        </div>
        <HistogramOverTime frames={frames} mode={mode} height={260} valueLabel="activation" />
      </Card>
      <Card title="Dead / saturated fraction over time" info="every watched layer" testId="chart-act-time">
        {health && (
          <StepLineChart data={health.overTime} height={H} percent yDomain={[0, 1]} seriesName={(n) => label(acts.find((a) => a.key === n) ?? { node: String(n), layer: String(n) })}>
            {layerLines(watched.map((m) => m.key), key, 0.65)}
          </StepLineChart>
        )}
      </Card>
      <Card title="Mean ± std per layer" info="latest probe, input → output" testId="chart-act-stats">
        {health && (
          <ComposedChart data={health.stats} height={H} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 0, left: -8 }}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="key" {...AXIS} tick={false} height={8} />
            <YAxis {...AXIS} tickFormatter={(x: number) => fmt(x, 2)} width={44} />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [Array.isArray(x) ? `${fmt(x[0])} … ${fmt(x[1])}` : fmt(x as number), n]} labelFormatter={(_l, p) => (p?.[0]?.payload as { label?: string } | undefined)?.label ?? ''} />
            <Area dataKey="band" stroke="none" fill="var(--series-1)" fillOpacity={0.18} isAnimationActive={false} name="± std" />
            <Line dataKey="mean" stroke="var(--series-1)" strokeWidth={1.8} dot={{ r: 2 }} isAnimationActive={false} name="mean" />
          </ComposedChart>
        )}
      </Card>
    </div>
  );
}

export const ActivationsView = memo(ActivationsViewInner);
