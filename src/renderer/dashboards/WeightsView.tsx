import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatNorm } from '../telemetry/heat';
import { useRunVersion } from '../telemetry/react';
import type { LayerMeta } from '../telemetry/probes';
import type { RunTelemetry } from '../telemetry/run';
import { AXIS, Card, Empty, GRID, Segmented, TOOLTIP } from './chartKit';
import { HistogramOverTime, type HistFrame } from './HistogramOverTime';
import { LayerPicker, ramp } from './LayerPicker';
import { useDashLinks } from './links';
import { nodeLabels } from './runInfo';

function WeightsViewInner({ run }: { run: RunTelemetry }) {
  const v = useRunVersion(run, 'probes');
  const links = useDashLinks();
  const labels = useMemo(() => nodeLabels(run), [run]);
  const label = (m: Pick<LayerMeta, 'node' | 'layer'>) => {
    const base = links.nodeLabel?.(m.node) ?? labels.get(m.node) ?? m.node;
    const copy = /#(\d+)/.exec(m.layer);
    return copy ? `${base} #${copy[1]}` : base;
  };
  const layers = run.probes.layout?.weights ?? [];
  const [picked, setPicked] = useState('');
  const [mode, setMode] = useState<'ridgeline' | 'heatmap'>('ridgeline');
  const key = layers.some((l) => l.key === picked) ? picked : (layers[0]?.key ?? '');
  const index = layers.findIndex((l) => l.key === key);

  const { weights, grads, norms } = useMemo(() => {
    const layout = run.probes.layout;
    if (!layout || index < 0) return { weights: [] as HistFrame[], grads: [] as HistFrame[], norms: [] as Record<string, number>[] };
    const bins = layout.bins;
    const frames = run.probes.list();
    const weights = frames.map((f) => ({ step: f.step, hist: { min: f.weightRange[index * 2], max: f.weightRange[index * 2 + 1], counts: f.weightHist.subarray(index * bins, (index + 1) * bins) } }));
    const grads = frames.map((f) => ({ step: f.step, hist: { min: f.gradRange[index * 2], max: f.gradRange[index * 2 + 1], counts: f.gradHist.subarray(index * bins, (index + 1) * bins) } }));
    const norms = frames.map((f) => {
      const r: Record<string, number> = { step: f.step };
      layout.weights.forEach((m, i) => (r[m.key] = f.weightNorm[i]));
      return r;
    });
    return { weights, grads, norms };
  }, [run, v, index]);

  if (!run.probes.layout) return <Empty height={300}>Weight and gradient histograms appear with the first probe.</Empty>;
  return (
    <div className="dash-grid" data-testid="dash-weights">
      <div className="span-2 dash-toolbar">
        <LayerPicker layers={layers} value={key} onChange={setPicked} label={label} testId="weights-layer" />
        <Segmented value={mode} onChange={setMode} options={[{ value: 'ridgeline', label: 'Ridgeline' }, { value: 'heatmap', label: 'Heatmap' }]} testId="weights-mode" />
        <span className="muted">Like TensorBoard's histograms: one distribution per probe, newest in front.</span>
      </div>
      <Card title="Weights" info={layers[index] ? label(layers[index]) : undefined} testId="chart-weight-hist">
        <HistogramOverTime frames={weights} mode={mode} height={300} valueLabel="weight" />
      </Card>
      <Card title="Gradients" info={layers[index] ? label(layers[index]) : undefined} testId="chart-grad-hist">
        <HistogramOverTime frames={grads} mode={mode} height={300} valueLabel="gradient" />
      </Card>
      <Card title="Weight norm ‖w‖ per layer over time" info="the selected layer highlighted" span={2} testId="chart-weight-norms">
        <LineChart data={norms} height={200} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 0, left: -4 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} {...AXIS} />
          <YAxis {...AXIS} domain={[0, 'auto']} tickFormatter={(x: number) => formatNorm(x)} width={48} />
          <Tooltip {...TOOLTIP} formatter={(x, n) => [formatNorm(x as number), label(layers.find((l) => l.key === n) ?? { node: String(n), layer: String(n) })]} labelFormatter={(l) => `step ${l}`} />
          {layers.map((m, i) => (
            <Line key={m.key} dataKey={m.key} stroke={m.key === key ? 'var(--accent)' : ramp(i, layers.length)} strokeWidth={m.key === key ? 2.4 : 1} strokeOpacity={m.key === key ? 1 : 0.55} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </Card>
    </div>
  );
}

export const WeightsView = memo(WeightsViewInner);
