import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { LogEvent, RunSummary } from '../../shared/api';
import { describeLrMultipliers } from '../../shared/graph/lrMultiplier';
import { useEditor } from '../app/context';
import { ago } from '../core/format';
import { Icon } from '../app/Icon';
import { AXIS, AxisNote, Card, Empty, fmt, GRID, LegendItem, pct, Segmented, seriesColor, TOOLTIP } from '../dashboards/chartKit';
import { valueAxis } from '../core/axis';
import { formatTick } from '../core/format';
import { metricLabel, settingLabel } from './settingLabels';
import { useTelemetryStore } from '../telemetry/react';
import type { RunTelemetry } from '../telemetry/run';
import { ema, thin } from '../telemetry/series';
import { headlineColumn, headlineMetric } from '../dashboards/metricLabels';
import { configDiff, graphDiff, runSettingsDiff, type NodeRef } from './diff';
import { PredictPanel } from '../predict/PredictPanel';
import { SkippedFiles } from '../train/SkippedFiles';
import { RunLabelEditor, TagChips } from './RunLabelEditor';
import '../dashboards/dashboards.css';

type Metric = 'valLoss' | 'trainLoss' | 'valAcc' | 'trainAcc';
const METRICS: { value: Metric; label: string }[] = [
  { value: 'valLoss', label: 'Val loss' },
  { value: 'trainLoss', label: 'Train loss' },
  { value: 'valAcc', label: 'Val acc' },
  { value: 'trainAcc', label: 'Train acc' },
];

const FINAL = new Set(['completed', 'stopped', 'failed', 'interrupted']);

/** The run's last status event is newer than a record read from disk: a finished run stays finished. */
function reconcile(listed: RunSummary, live: RunSummary | null | undefined): RunSummary {
  if (!live || FINAL.has(listed.state) || !FINAL.has(live.state)) return listed;
  return { ...listed, ...live, metrics: { ...listed.metrics, ...live.metrics } };
}

/** The host's runs, refreshed when a run changes state. */
function useRunList(): { runs: RunSummary[] | null; error: string | null; refresh(): void } {
  const { lab } = useEditor();
  const telemetry = useTelemetryStore();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    lab?.listRuns().then(
      (list) => setRuns(list.map((r) => reconcile(r, telemetry.get(r.id)?.summary))),
      (e: Error) => setError(e.message),
    );
  }, [lab, telemetry]);
  useEffect(refresh, [refresh]);
  const lastStatus = useRef('');
  useEffect(
    () =>
      telemetry.subscribe(() => {
        const key = telemetry
          .ids()
          .map((id) => `${id}:${telemetry.get(id)?.summary?.state}:${telemetry.get(id)?.epochs.length}`)
          .join('|');
        if (key !== lastStatus.current) {
          lastStatus.current = key;
          refresh();
        }
      }),
    [telemetry, refresh],
  );
  return { runs, error, refresh };
}

/** Loads the selected runs' records into the telemetry store (a running run is reloaded each time). */
function useLoadedRuns(ids: readonly string[]): { loaded: RunTelemetry[]; loading: boolean } {
  const { lab } = useEditor();
  const telemetry = useTelemetryStore();
  const [, setTick] = useState(0);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    if (!lab) return;
    const missing = ids.filter((id) => {
      const r = telemetry.get(id);
      return !r || !r.meta.config;
    });
    if (missing.length === 0) return;
    let cancelled = false;
    setLoading(true);
    Promise.all(missing.map((id) => lab.runDetail({ id }).then((d) => !cancelled && telemetry.load(d), () => undefined))).finally(() => {
      if (!cancelled) {
        setLoading(false);
        setTick((t) => t + 1);
      }
    });
    return () => {
      cancelled = true;
    };
  }, [ids, lab, telemetry]);
  return { loaded: ids.map((id) => telemetry.get(id)).filter((r): r is RunTelemetry => !!r), loading };
}

function CompareCharts({ runs }: { runs: RunTelemetry[] }) {
  const [metric, setMetric] = useState<Metric>('valLoss');
  const epochData = useMemo(() => {
    const byEpoch = new Map<number, Record<string, number>>();
    runs.forEach((r, i) => {
      for (const e of r.epochs) {
        const row = byEpoch.get(e.epoch) ?? { epoch: e.epoch };
        const v = e[metric];
        if (v !== undefined) row[`r${i}`] = v;
        byEpoch.set(e.epoch, row);
      }
    });
    return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
  }, [runs, metric]);
  const stepData = useMemo(() => {
    const rows: Record<string, number>[] = [];
    runs.forEach((r, i) => {
      const pts = thin(r.steps.rows(), 400, 'loss');
      const sm = ema(pts.map((p) => p.loss), 0.8);
      pts.forEach((p, k) => rows.push({ step: p.x, [`r${i}`]: sm[k] }));
    });
    return rows.sort((a, b) => a.step - b.step);
  }, [runs]);
  const isAcc = metric === 'valAcc' || metric === 'trainAcc';
  const epochAxis = useMemo(() => valueAxis(epochData.flatMap((row) => Object.entries(row).filter(([k]) => k !== 'epoch').map(([, x]) => x))), [epochData]);
  const stepAxis = useMemo(() => valueAxis(stepData.flatMap((row) => Object.entries(row).filter(([k]) => k !== 'step').map(([, x]) => x))), [stepData]);
  const legend = (
    <span className="legend">
      {runs.map((r, i) => (
        <LegendItem key={r.id} color={seriesColor(i)} label={r.summary?.name ?? r.id} />
      ))}
    </span>
  );
  return (
    <>
      <Card title="Per epoch" right={<Segmented value={metric} onChange={setMetric} options={METRICS} testId="compare-metric" />} testId="compare-epochs">
        <div data-testid="compare-lines" data-lines={runs.length}>
          <LineChart data={epochData} height={220} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 0, left: -8 }}>
            <CartesianGrid {...GRID} />
            <XAxis dataKey="epoch" type="number" domain={[1, 'dataMax']} allowDecimals={false} {...AXIS} />
            <YAxis {...AXIS} width={isAcc ? 44 : epochAxis.width} domain={isAcc ? [0, 1] : epochAxis.domain} ticks={isAcc ? undefined : epochAxis.ticks} allowDataOverflow tickFormatter={(x: number) => (isAcc ? `${Math.round(x * 100)}%` : formatTick(x))} />
            <Tooltip {...TOOLTIP} formatter={(x, n) => [isAcc ? pct(x as number) : fmt(x as number), runs[Number(String(n).slice(1))]?.summary?.name ?? n]} labelFormatter={(l) => `epoch ${l}`} />
            {runs.map((r, i) => (
              <Line key={r.id} dataKey={`r${i}`} stroke={seriesColor(i)} strokeWidth={1.8} dot={{ r: 2.5 }} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        </div>
        {!isAcc && <AxisNote axis={epochAxis} />}
        <div className="dash-foot">{legend}</div>
      </Card>
      <Card title="Training loss per step" info="smoothed" testId="compare-steps">
        <LineChart data={stepData} height={220} style={{ width: '100%' }} responsive margin={{ top: 8, right: 14, bottom: 0, left: -8 }}>
          <CartesianGrid {...GRID} />
          <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} {...AXIS} />
          <YAxis {...AXIS} width={stepAxis.width} domain={stepAxis.domain} ticks={stepAxis.ticks} allowDataOverflow tickFormatter={formatTick} />
          <Tooltip {...TOOLTIP} formatter={(x, n) => [fmt(x as number), runs[Number(String(n).slice(1))]?.summary?.name ?? n]} labelFormatter={(l) => `step ${l}`} />
          {runs.map((r, i) => (
            <Line key={r.id} dataKey={`r${i}`} stroke={seriesColor(i)} strokeWidth={1.5} dot={false} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
        <AxisNote axis={stepAxis} />
        <div className="dash-foot">{legend}</div>
      </Card>
    </>
  );
}

function ConfigDiffTable({ runs }: { runs: RunTelemetry[] }) {
  const rows = useMemo(() => runSettingsDiff(runs.map((r) => ({ dataset: r.summary?.dataset, config: r.meta.config }))), [runs]);
  return (
    <Card title="Settings that differ" testId="compare-config">
      {rows.length === 0 ? (
        <Empty height={80}>Same dataset and settings.</Empty>
      ) : (
        <table className="diff-table">
          <thead>
            <tr>
              <th>setting</th>
              {runs.map((r, i) => (
                <th key={r.id}>
                  <span className="legend-swatch" style={{ background: seriesColor(i) }} /> {i + 1}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.path} data-testid="diff-row" data-path={row.path}>
                <td title={row.path}>{settingLabel(row.path)}</td>
                {row.values.map((v, i) => (
                  <td key={i} className="mono">
                    {v}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** Added or removed blocks; many of one type are summarised ("− 20 × norm/batchnorm: batchnorm_1 … batchnorm_20"). */
function NodeList({ nodes, sign, cls }: { nodes: NodeRef[]; sign: string; cls: string }) {
  const byType = new Map<string, NodeRef[]>();
  for (const n of nodes) (byType.get(n.type) ?? byType.set(n.type, []).get(n.type)!).push(n);
  return (
    <>
      {[...byType].map(([type, list]) =>
        list.length > 3 ? (
          <li key={`${sign}${type}`} className={cls}>
            {sign} {list.length} × <span className="muted">{type}</span>: {list[0].label} … {list[list.length - 1].label}
          </li>
        ) : (
          list.map((n) => (
            <li key={`${sign}${n.id}`} className={cls}>
              {sign} {n.label} <span className="muted">{n.type}</span>
            </li>
          ))
        ),
      )}
    </>
  );
}

function GraphDiffView({ runs }: { runs: RunTelemetry[] }) {
  const base = runs[0]?.meta.graph;
  const diffs = useMemo(() => (base ? runs.slice(1).map((r) => ({ run: r, diff: r.meta.graph ? graphDiff(base, r.meta.graph) : null })) : []), [runs, base]);
  return (
    <Card title="Graph differences" info={runs[0] ? `against ${runs[0].summary?.name ?? runs[0].id}` : undefined} testId="compare-graph">
      {!base ? (
        <Empty height={80}>No graph recorded.</Empty>
      ) : (
        <div className="graph-diffs">
          {diffs.map(({ run, diff }, k) => (
            <div key={run.id} className="graph-diff" data-testid="graph-diff">
              <div className="graph-diff-head">
                <span className="legend-swatch" style={{ background: seriesColor(k + 1) }} /> <b>{run.summary?.name ?? run.id}</b>
              </div>
              {!diff ? (
                <span className="muted">no graph recorded</span>
              ) : diff.same ? (
                <span className="muted">Same graph.</span>
              ) : (
                <ul>
                  {diff.input && (
                    <li>
                      input {diff.input.from} → {diff.input.to}
                    </li>
                  )}
                  <NodeList nodes={diff.added} sign="+" cls="add" />
                  <NodeList nodes={diff.removed} sign="−" cls="del" />
                  {diff.changed.map((c) => (
                    <li key={`c${c.node.id}`} className="chg">
                      ~ {c.node.label}:{' '}
                      {c.changes.map((x) => (
                        <span key={x.key} className="mono">
                          {x.key} {x.from} → {x.to}{' '}
                        </span>
                      ))}
                    </li>
                  ))}
                  {(diff.edgesAdded > 0 || diff.edgesRemoved > 0) && (
                    <li className="muted">
                      connections: +{diff.edgesAdded} −{diff.edgesRemoved}
                    </li>
                  )}
                </ul>
              )}
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}

/** A run's settings and final metrics, under its row. */
function RunDetails({ id, summary, onSaved }: { id: string; summary: RunSummary; onSaved(r: RunSummary): void }) {
  const { lab } = useEditor();
  const telemetry = useTelemetryStore();
  const [config, setConfig] = useState<Record<string, unknown> | null>(() => (telemetry.get(id)?.meta.config as Record<string, unknown> | undefined) ?? null);
  const [importLog, setImportLog] = useState<LogEvent | null>(() => telemetry.get(id)?.importLog ?? null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (config || !lab) return;
    lab.runDetail({ id }).then(
      (d) => {
        const run = telemetry.load(d);
        setImportLog(run.importLog);
        setConfig(run.meta.config ?? {});
      },
      (e: Error) => setError(e.message),
    );
  }, [config, id, lab, telemetry]);
  const rows = useMemo(() => (config ? configDiff([config, {}]).map((r) => [r.path, r.values[0]] as const) : []), [config]);
  return (
    <tr className="run-details" data-testid="run-details">
      <td />
      <td colSpan={10}>
        <RunLabelEditor key={`${summary.name}|${(summary.tags ?? []).join(',')}`} run={summary} onSaved={onSaved} />
        {error && <div className="field-error">{error}</div>}
        {!config && !error && <span className="muted">Loading…</span>}
        {config && (
          <div className="run-details-grid">
            <div>
              <div className="tp-sub">Settings</div>
              <div className="kv">
                {rows.map(([k, v]) => (
                  <span key={k} className="kv-row" title={k}>
                    <span className="muted">{settingLabel(k)}</span> <span className="mono">{v === '{}' ? 'none' : v}</span>
                  </span>
                ))}
              </div>
            </div>
            <div>
              <div className="tp-sub">Final metrics</div>
              <div className="kv">
                {Object.entries(summary.metrics ?? {}).map(([k, v]) => (
                  <span key={k} className="kv-row">
                    <span className="muted">{metricLabel(k)}</span> <span className="mono">{k.includes('acc') || k.includes('top5') ? pct(v) : fmt(v)}</span>
                  </span>
                ))}
                {summary.error && <span className="field-error">{summary.error}</span>}
              </div>
              {importLog?.skipped && <SkippedFiles skipped={importLog.skipped} total={importLog.skippedTotal} testId="run-skipped-files" />}
            </div>
          </div>
        )}
      </td>
    </tr>
  );
}

function RunsWorkspaceView() {
  const { manager } = useEditor();
  const telemetry = useTelemetryStore();
  const { runs, error, refresh } = useRunList();
  const [picked, setPicked] = useState<string[]>([]);
  const [expanded, setExpanded] = useState<string | null>(null);
  const [predictFor, setPredictFor] = useState<string | null>(null);
  const predictRun = runs?.find((r) => r.id === predictFor);
  // The squeezed table keeps the run being tried in view.
  const tableWrap = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const wrap = tableWrap.current;
    const row = predictFor ? wrap?.querySelector(`[data-testid=run-row][data-run="${predictFor}"]`) : null;
    if (!wrap || !row) return;
    // Only the table scrolls (scrollIntoView would also scroll the page sideways when the table is wide).
    const r = row.getBoundingClientRect();
    const w = wrap.getBoundingClientRect();
    const header = 28;
    if (r.top < w.top + header || r.bottom > w.bottom) wrap.scrollTop += r.top - w.top - header;
  }, [predictFor]);
  const ids = useMemo(() => picked.filter((id) => runs?.some((r) => r.id === id)), [picked, runs]);
  const { loaded, loading } = useLoadedRuns(ids);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const open = (id: string) => {
    telemetry.select(id);
    const r = telemetry.get(id);
    void manager.ctx.lab?.runDetail({ id }).then((d) => {
      if (!r || r.state !== 'running') telemetry.load(d);
    });
    void manager.execute('view.workspace', { workspace: 'training' }, 'ui');
  };
  return (
    <div className={`runs-ws ${predictRun ? 'predicting' : ''}`} data-testid="runs-workspace">
      <section className="runs-list">
        <div className="panel-header">
          <span>Runs</span>
          <span className="muted runs-count">{runs ? runs.length : ''}</span>
          <span className="spacer" />
          <span className="muted runs-hint">tick two or more to compare</span>
          <button className="icon-btn" onClick={refresh} title="Refresh" aria-label="Refresh">
            <Icon name="repeat" size={13} />
          </button>
        </div>
        {error && <div className="field-error pad">{error}</div>}
        <div className="runs-table-wrap" ref={tableWrap}>
          <table className="runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th />
                <th>run</th>
                <th>state</th>
                <th>dataset</th>
                <th>started</th>
                <th>epochs</th>
                <th>train loss</th>
                <th>val loss</th>
                <th title="The validation headline metric: accuracy (classification), mAP@0.5 (detection), mIoU (segmentation)">{headlineColumn(runs)}</th>
                <th>backend</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs?.map((r) => {
                const i = ids.indexOf(r.id);
                return [
                  <tr key={r.id} className={i >= 0 ? 'on' : ''} data-testid="run-row" data-run={r.id}>
                    <td>
                      <input type="checkbox" checked={i >= 0} onChange={() => toggle(r.id)} aria-label={`Compare ${r.name}`} data-testid="run-pick" />
                      {i >= 0 && <span className="legend-swatch" style={{ background: seriesColor(i) }} />}
                    </td>
                    <td className="run-name" title={`${r.name} (${r.id})`}>
                      <button className="run-expand" onClick={() => setExpanded(expanded === r.id ? null : r.id)} aria-expanded={expanded === r.id} data-testid="run-expand">
                        <Icon name={expanded === r.id ? 'chevronDown' : 'chevronRight'} size={11} />
                        <span className="run-name-text">{r.name}</span>
                      </button>
                      <TagChips tags={r.tags} />
                      {(r.weightsFrom || r.frozenBlocks) && (
                        <span className="run-start-chip muted" data-testid="run-weights" title={`${r.weightsFrom ? `Started from the weights in ${r.weightsFrom}` : 'Started from scratch'}${r.frozenBlocks ? `; ${r.frozenBlocks} blocks frozen` : ''}`}>
                          {r.weightsFrom ? `pretrained: ${r.weightsFrom}` : 'from scratch'}
                          {r.frozenBlocks ? ` · ${r.frozenBlocks} frozen` : ''}
                        </span>
                      )}
                      {r.lrMultipliers?.length ? (
                        <span className="run-start-chip muted" data-testid="run-lr-mult" title={`Blocks trained at the scheduled learning rate × their multiplier: ${describeLrMultipliers(r.lrMultipliers)}`}>
                          {describeLrMultipliers(r.lrMultipliers)}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <span className={`pill state-${r.state}`}>{r.state}</span>
                    </td>
                    <td>{r.dataset}</td>
                    <td className="muted">{ago(r.createdAt)}</td>
                    <td className="mono">
                      {r.epoch}/{r.epochs}
                    </td>
                    <td className="mono">{fmt(r.metrics?.train_loss)}</td>
                    <td className="mono">{fmt(r.metrics?.val_loss)}</td>
                    <td className="mono" title={`val ${headlineMetric(r.metrics).name}`}>
                      {pct(headlineMetric(r.metrics).value)}
                    </td>
                    <td className="muted backend-cell" title={r.backend}>
                      {r.backend ?? ''}
                    </td>
                    <td>
                      {(r.state === 'interrupted' || r.state === 'stopped') && (
                        <>
                          <button className="btn small-btn primary" onClick={() => void manager.execute('run.resume', { runId: r.id }, 'ui').then(() => refresh())} data-testid="run-resume-row" title="Continue training from the last checkpoint">
                            Resume
                          </button>{' '}
                        </>
                      )}
                      <button className="btn small-btn" onClick={() => open(r.id)} data-testid="run-open">
                        Dashboards
                      </button>{' '}
                      <button className="btn small-btn" onClick={() => void manager.execute('run.export', { runId: r.id }, 'ui')} data-testid="run-export" title="Export this run (TF.js, ONNX, PyTorch, graph + picture)">
                        Export…
                      </button>{' '}
                      <button className={`btn small-btn ${predictFor === r.id ? 'on' : ''}`} onClick={() => {
                          setExpanded(null);
                          setPredictFor(r.id);
                        }}
                        data-testid="run-predict" title="Try this run's model on an image: prediction, Grad-CAM, feature maps">
                        Predict
                      </button>
                    </td>
                  </tr>,
                  expanded === r.id ? <RunDetails key={`${r.id}-details`} id={r.id} summary={r} onSaved={refresh} /> : null,
                ];
              })}
            </tbody>
          </table>
          {runs?.length === 0 && <Empty height={120}>No run yet: train one in the Training workspace.</Empty>}
        </div>
      </section>
      <section className="runs-compare" data-testid="runs-compare">
        {predictRun ? (
          <PredictPanel runId={predictRun.id} runName={predictRun.name} onClose={() => setPredictFor(null)} />
        ) : ids.length < 2 ? (
          <Empty height={200}>{loading ? 'Loading…' : 'Pick two or more runs to overlay their curves and see how their settings and graphs differ.'}</Empty>
        ) : (
          <div className="dash-grid">
            <CompareCharts runs={loaded} />
            <ConfigDiffTable runs={loaded} />
            <GraphDiffView runs={loaded} />
          </div>
        )}
      </section>
    </div>
  );
}

export const RunsWorkspace = memo(RunsWorkspaceView);
