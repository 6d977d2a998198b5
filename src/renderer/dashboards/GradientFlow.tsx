import { memo, useCallback, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { gradientFlow, GRADIENT_ORDERS } from '../../shared/training/diagnostics';
import { formatNorm, HEAT_LEGEND, heatColor, outputReference } from '../telemetry/heat';
import { useRunVersion } from '../telemetry/react';
import type { RunTelemetry } from '../telemetry/run';
import { AXIS, Card, Empty, GRID, intTicks, LegendItem, logTick, TOOLTIP } from './chartKit';
import { DiagnosticsList } from './Diagnostics';
import { Heatmap, ScaleBar, sequential } from './Heatmap';
import { useDashLinks } from './links';
import { graphOf, nodeLabels } from './runInfo';
import { analyze } from '../../shared/graph/analyze';

const lg = (v: number): number => Math.log10(Math.max(v, 1e-30));

interface BarRow {
  key: string;
  node: string;
  label: string;
  value: number;
  range: [number, number];
  color: string;
}

function useLayerLabels(run: RunTelemetry) {
  const links = useDashLinks();
  const v = useRunVersion(run, 'status');
  return useMemo(() => {
    const labels = nodeLabels(run);
    return (node: string, layer: string) => {
      const base = links.nodeLabel?.(node) ?? labels.get(node) ?? node;
      const copy = /#(\d+)/.exec(layer);
      return copy ? `${base} #${copy[1]}` : base;
    };
  }, [run, v, links]);
}

function LogBars({ rows, lo, hi, refs, testId, height, unit }: { rows: BarRow[]; lo: number; hi: number; refs: { y: number; label: string; color: string; inline?: boolean }[]; testId: string; height: number; unit: string }) {
  const links = useDashLinks();
  const many = rows.length > 24;
  return (
    <div data-testid={testId} data-bars={rows.length}>
      <BarChart data={rows} height={height} style={{ width: '100%' }} responsive margin={{ top: 10, right: 14, bottom: many ? 4 : 30, left: -4 }} barCategoryGap={rows.length > 40 ? 0 : '18%'}>
        <CartesianGrid {...GRID} vertical={false} />
        <XAxis dataKey="key" {...AXIS} interval={many ? 'preserveStartEnd' : 0} tickFormatter={(_k: string, i: number) => rows[i]?.label ?? ''} angle={many ? 0 : -35} textAnchor={many ? 'middle' : 'end'} height={many ? 20 : 44} tick={many ? false : AXIS.tick} />
        <YAxis {...AXIS} type="number" domain={[lo, hi]} ticks={intTicks(lo, hi)} tickFormatter={logTick} width={44} allowDataOverflow />
        <Tooltip
          {...TOOLTIP}
          cursor={{ fill: 'var(--hover)' }}
          formatter={(_x, _n, item) => [`${formatNorm((item.payload as BarRow).value)}`, unit]}
          labelFormatter={(_l, p) => (p?.[0]?.payload as BarRow | undefined)?.label ?? ''}
        />
        {refs.map((r) => (
          <ReferenceLine key={r.label} y={r.y} stroke={r.color} strokeDasharray="4 3" label={r.inline ? { value: r.label, position: 'insideTopRight', fill: r.color, fontSize: 10 } : undefined} />
        ))}
        <Bar dataKey="range" isAnimationActive={false} onClick={(d) => links.focusNodes([(d as unknown as { payload: BarRow }).payload.node])} cursor="pointer">
          {rows.map((r) => (
            <Cell key={r.key} fill={r.color} />
          ))}
        </Bar>
      </BarChart>
    </div>
  );
}

/** The run's frozen blocks that have weights: no gradient by design, not a vanishing one. */
function FrozenNote({ run }: { run: RunTelemetry }) {
  const v = useRunVersion(run, 'status');
  const frozen = useMemo(() => {
    const g = graphOf(run);
    if (!g?.nodes.some((n) => n.frozen)) return [];
    const a = analyze(g);
    return g.nodes.filter((n) => n.frozen && (a.nodes[n.id]?.cost?.params ?? 0) > 0).map((n) => n.label || n.id);
  }, [run, v]);
  if (frozen.length === 0) return null;
  const shown = frozen.slice(0, 12).join(', ') + (frozen.length > 12 ? `, … (${frozen.length} in all)` : '');
  return (
    <p className="hint frozen-note" data-testid="grad-frozen" data-frozen={frozen.length}>
      <b>Frozen</b> ({frozen.length} {frozen.length === 1 ? 'block' : 'blocks'}, no gradient by design, not shown): {shown}
    </p>
  );
}

function GradientBars({ run }: { run: RunTelemetry }) {
  const v = useRunVersion(run, 'probes');
  const label = useLayerLabels(run);
  const data = useMemo(() => {
    const probe = run.latestProbe;
    if (!probe) return null;
    const verdict = gradientFlow(probe.layers);
    const ref = verdict.outputEnd;
    const vals = verdict.layers.map((l) => l.gradNorm).filter((g) => Number.isFinite(g) && g > 0);
    const lo = Math.floor(Math.min(...vals.map(lg), lg(ref) - GRADIENT_ORDERS) - 0.3);
    const hi = Math.ceil(Math.max(...vals.map(lg)) + 0.2);
    const colorRef = outputReference(verdict.layers.map((l) => l.gradNorm));
    const rows: BarRow[] = verdict.layers.map((l) => {
      const orders = Number.isFinite(colorRef) ? lg(l.gradNorm) - lg(colorRef) : 0;
      return { key: l.layer, node: l.node, label: label(l.node, l.layer), value: l.gradNorm, range: [lo, Number.isFinite(l.gradNorm) ? lg(l.gradNorm) : hi], color: heatColor(orders) };
    });
    return { rows, lo, hi, ref, step: probe.step, verdict };
  }, [run, v, label]);
  return (
    <Card
      title="Gradient norm per layer"
      info={data ? `step ${data.step} · input → output` : undefined}
      right={
        <span className="legend">
          {HEAT_LEGEND.map((h) => (
            <LegendItem key={h.orders} color={h.color} label={h.orders === 0 ? '≈ output' : `${h.orders > 0 ? '+' : ''}${h.orders}`} />
          ))}
          <span className="muted">orders vs output end</span>
          <LegendItem color="var(--series-6)" label={`vanishing: < 1/${10 ** GRADIENT_ORDERS}`} dashed />
        </span>
      }
      span={2}
      testId="chart-grad-bars"
    >
      {!data || data.rows.length === 0 ? (
        <Empty height={250}>Gradient norms appear with the first probe (every “probe every” steps).</Empty>
      ) : (
        <LogBars
          rows={data.rows}
          lo={data.lo}
          hi={data.hi}
          height={250}
          unit="‖g‖"
          testId="grad-bars"
          refs={Number.isFinite(data.ref) ? [{ y: lg(data.ref) - GRADIENT_ORDERS, label: 'vanishing threshold', color: 'var(--series-6)' }] : []}
        />
      )}
      <FrozenNote run={run} />
    </Card>
  );
}

function GradientHeatmap({ run }: { run: RunTelemetry }) {
  const v = useRunVersion(run, 'probes');
  const label = useLayerLabels(run);
  const data = useMemo(() => {
    const frames = run.probes.list();
    const layout = run.probes.layout;
    if (!layout || frames.length === 0) return null;
    const L = layout.weights.length;
    const F = frames.length;
    const values = new Float64Array(L * F).fill(NaN);
    let lo = Infinity;
    let hi = -Infinity;
    for (let f = 0; f < F; f++)
      for (let l = 0; l < L; l++) {
        const g = frames[f].gradNorm[l];
        if (!(g > 0) || !Number.isFinite(g)) continue;
        const x = lg(g);
        values[l * F + f] = x;
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
    if (!(hi > lo)) hi = lo + 1;
    return { L, F, values, lo, hi, frames, layout };
  }, [run, v]);
  const color = useCallback((x: number) => sequential(data ? (x - data.lo) / (data.hi - data.lo) : 0), [data]);
  const rowLabel = useCallback((r: number) => (data ? label(data.layout.weights[r].node, data.layout.weights[r].layer) : ''), [data, label]);
  const colLabel = useCallback((c: number) => (data ? String(data.frames[c].step) : ''), [data]);
  const describe = useCallback(
    (r: number, c: number, x: number) => (
      <>
        <b>{rowLabel(r)}</b>
        <div>step {data?.frames[c].step}</div>
        <div>‖g‖ = {formatNorm(10 ** x)}</div>
      </>
    ),
    [data, rowLabel],
  );
  return (
    <Card
      title="Gradient norm: layer × step"
      info={data ? `${data.F} probes${run.probes.resolution > 1 ? ` (every ${run.probes.resolution}th kept)` : ''}` : undefined}
      right={data ? <ScaleBar lo={data.lo} hi={data.hi} color={sequential} format={(x) => formatNorm(10 ** x)} label="‖g‖" /> : undefined}
      span={2}
      testId="chart-grad-heatmap"
    >
      {!data ? (
        <Empty height={220}>The heatmap grows with every probe.</Empty>
      ) : (
        <Heatmap rows={data.L} cols={data.F} values={data.values} color={color} rowLabel={rowLabel} colLabel={colLabel} describe={describe} height={Math.min(320, Math.max(140, data.L * 13 + 26))} xTitle="step" testId="grad-heatmap" />
      )}
    </Card>
  );
}

function UpdateRatio({ run }: { run: RunTelemetry }) {
  const v = useRunVersion(run, 'probes');
  const label = useLayerLabels(run);
  const data = useMemo(() => {
    const probe = run.latestProbe;
    if (!probe) return null;
    const layers = probe.layers.filter((l) => l.kind === 'weights' && l.updateRatio !== undefined && l.updateRatio > 0);
    if (layers.length === 0) return null;
    const vals = layers.map((l) => lg(l.updateRatio!));
    const lo = Math.floor(Math.min(...vals, -4) - 0.3);
    const hi = Math.ceil(Math.max(...vals, -1) + 0.2);
    const rows: BarRow[] = layers.map((l) => {
      const x = lg(l.updateRatio!);
      return { key: l.layer, node: l.node, label: label(l.node, l.layer), value: l.updateRatio!, range: [lo, x], color: x > -1 ? 'var(--error)' : x < -4.5 ? 'var(--series-6)' : 'var(--series-3)' };
    });
    return { rows, lo, hi, step: probe.step };
  }, [run, v, label]);
  return (
    <Card
      title="Update / weight ratio per layer"
      info={data ? `‖Δw‖ / ‖w‖ at step ${data.step}` : undefined}
      right={
        <span className="legend">
          <LegendItem color="var(--series-3)" label="≈ 1e-3 healthy" />
          <LegendItem color="var(--error)" label="> 0.1 too large" />
        </span>
      }
      span={2}
      testId="chart-update-ratio"
    >
      {!data ? (
        <Empty height={200}>Update ratios appear with the first probe.</Empty>
      ) : (
        <LogBars
          rows={data.rows}
          lo={data.lo}
          hi={data.hi}
          height={200}
          unit="‖Δw‖/‖w‖"
          testId="update-bars"
          refs={[
            { y: -3, label: '1e-3', color: 'var(--series-3)', inline: true },
            { y: -1, label: '0.1', color: 'var(--error)', inline: true },
          ]}
        />
      )}
    </Card>
  );
}

function GradientFlowView({ run }: { run: RunTelemetry }) {
  return (
    <div className="dash-grid" data-testid="dash-gradients">
      <div className="span-2 diag-list">
        <DiagnosticsList run={run} only={['vanishing', 'exploding']} needs="probe" emptyText="Gradients flow: no vanishing or exploding gradient at the latest probes." />
        <DiagnosticsList run={run} only={['update-ratio']} />
      </div>
      <GradientBars run={run} />
      <GradientHeatmap run={run} />
      <UpdateRatio run={run} />
    </div>
  );
}

export const GradientFlow = memo(GradientFlowView);
