import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ExperimentInfo, ExperimentResult, UserExperiment } from '../../shared/api';
import { runMetric } from '../../shared/experiments/measures';
import type { ChartKind, MetricSpec, VariantResult } from '../../shared/experiments/types';
import { useEditor } from '../app/context';
import { ago } from '../core/format';
import { Icon } from '../app/Icon';
import { Card, Empty, fmt, pct, seriesColor } from '../dashboards/chartKit';
import { configDiff } from '../runs/diff';
import { settingLabel } from '../runs/settingLabels';
import { useRun, useRunVersion, useTelemetryStore } from '../telemetry/react';
import { ExperimentCharts, HBars } from './Charts';
import { VerdictBadge } from './Gallery';
import { compactCount, estimate, formatMeasure, measureBars, measureKeys, measureLabel, seriesFromTelemetry, type VariantProgress, type VariantSeries } from './model';
import { resultKey, useExperimentsState, type ExperimentsStore } from './store';
import { plural } from '../../shared/plural';

// ---- Pieces shared by guided and saved experiments ----

function BackButton({ store }: { store: ExperimentsStore }) {
  return (
    <button className="btn exp-back" onClick={() => store.open({ kind: 'gallery' })} data-testid="exp-back">
      <Icon name="chevronRight" size={12} className="flip" /> Gallery
    </button>
  );
}

/** The verdict, computed by the engine from the runs, with its measured numbers. */
function VerdictCard({ result, metric, names, placeholder }: { result?: ExperimentResult; metric?: Pick<MetricSpec, 'key' | 'label' | 'format'>; names: readonly { id: string; name: string }[]; placeholder: string }) {
  if (!result)
    return (
      <section className="dash-card exp-verdict empty" data-testid="exp-verdict-empty">
        <header className="dash-card-head">
          <span className="dash-card-title">Verdict</span>
        </header>
        <Empty height={150}>{placeholder}</Empty>
      </section>
    );
  const v = result.verdict;
  const keys = measureKeys(v.perVariant, metric?.key);
  const order = result.variants.map((r) => r.variant);
  const nameOf = (id: string): string => result.variants.find((r) => r.variant === id)?.name ?? names.find((n) => n.id === id)?.name ?? id;
  const metricKey = metric && keys.includes(metric.key) ? metric.key : keys[0];
  const bars = metricKey ? measureBars(order.map((id) => ({ id, name: nameOf(id), value: v.perVariant[id]?.[metricKey] ?? null }))) : null;
  return (
    <section className={`dash-card exp-verdict ${v.effect.direction}`} data-testid="exp-verdict" data-direction={v.effect.direction}>
      <header className="dash-card-head">
        <span className="dash-card-title">Verdict</span>
        <span className="dash-card-info">
          run {ago(result.startedAt)}
          {result.source === 'guided' ? ` · seed ${result.seed}` : ''} · {result.seconds.toFixed(1)} s
        </span>
      </header>
      <div className="exp-verdict-body">
        <VerdictBadge direction={v.effect.direction} />
        <p className="exp-verdict-text" data-testid="exp-verdict-text">
          {v.text}
        </p>
        <div className="exp-verdict-claim">
          <span className="muted">Claim tested</span> {v.effect.claim}
          <br />
          <span className="muted">Measured</span> <span className="mono">{v.effect.detail}</span>
        </div>
        {bars && metricKey && (
          <div className="exp-verdict-bars">
            <div className="tp-sub">{metric && metric.key === metricKey ? metric.label : measureLabel(metricKey)}</div>
            <HBars rows={bars.bars.map((b) => ({ ...b, color: seriesColor(Math.max(0, names.findIndex((n) => n.id === b.id))) }))} log={bars.log} format={(x) => formatMeasure(metricKey, x)} />
          </div>
        )}
        {keys.length > 0 && (
          <div className="exp-table-wrap">
            <table className="exp-table measures" data-testid="exp-measures">
              <thead>
                <tr>
                  <th>variant</th>
                  {keys.map((k) => (
                    <th key={k} className={k === metricKey ? 'on' : ''}>
                      {measureLabel(k)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {order.map((id) => (
                  <tr key={id}>
                    <td>
                      <span className="legend-swatch" style={{ background: seriesColor(Math.max(0, names.findIndex((n) => n.id === id))) }} /> {nameOf(id)}
                    </td>
                    {keys.map((k) => (
                      <td key={k} className={`mono ${k === metricKey ? 'on' : ''}`}>
                        {formatMeasure(k, v.perVariant[id]?.[k])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}

/** Chart series per variant: its finished result, else the live telemetry of its run (re-rendered as those runs report). */
function useSeries(variants: readonly { id: string; name: string; runId?: string; result?: VariantResult }[], liveRunIds: readonly string[]): VariantSeries[] {
  const telemetry = useTelemetryStore();
  const key = liveRunIds.join(',');
  const version = useSyncExternalStore(telemetry.subscribe, () =>
    key
      .split(',')
      .map((id) => {
        const r = id ? telemetry.get(id) : undefined;
        return r ? `${r.versions.steps}:${r.versions.epochs}` : '-';
      })
      .join('|'),
  );
  return useMemo(
    () =>
      variants.map((v) => {
        if (v.result) return { id: v.id, name: v.name, epochs: v.result.epochs, steps: v.result.steps, result: v.result };
        const run = telemetry.get(v.runId);
        if (!run) return { id: v.id, name: v.name, epochs: [], steps: [] };
        return { id: v.id, name: v.name, ...seriesFromTelemetry(run.epochs, run.steps.rows()) };
      }),
    [variants, telemetry, version],
  );
}

/**
 * Reads the record of runs the telemetry store has not seen (a page reloaded mid-experiment: the variants
 * that already finished, and the one training, whose earlier steps arrived before the page did).
 */
const fetchedRuns = new Set<string>();

function useRunTelemetry(runIds: readonly string[]): void {
  const { lab } = useEditor();
  const telemetry = useTelemetryStore();
  const key = runIds.join(',');
  useEffect(() => {
    if (!lab) return;
    for (const id of runIds) {
      const r = telemetry.get(id);
      if ((r && r.epochs.length > 0) || fetchedRuns.has(id)) continue;
      fetchedRuns.add(id);
      void lab.runDetail({ id }).then(
        (d) => {
          const now = telemetry.get(id);
          if (!now || now.epochs.length <= d.events.filter((e) => e.type === 'epoch').length) telemetry.load(d);
        },
        () => undefined,
      );
    }
  }, [lab, telemetry, key]);
}

/** Epoch, step and loss of the variant that is training (live telemetry). */
function LiveProgress({ runId }: { runId?: string }) {
  const run = useRun(runId);
  useRunVersion(run, 'steps', 'epochs', 'status');
  const s = run?.summary;
  if (!run || !s) return <span className="muted">starting…</span>;
  const spe = run.stepsPerEpoch;
  const partial = spe && run.lastStep ? Math.min(1, (run.lastStep.step - s.epoch * spe) / spe) : 0;
  const frac = s.epochs ? Math.min(1, (s.epoch + Math.max(0, partial)) / s.epochs) : 0;
  const lastEpoch = run.epochs[run.epochs.length - 1];
  return (
    <div className="exp-live" data-testid="exp-live">
      <div className="tp-progress">
        <div className="tp-progress-bar" style={{ width: `${Math.round(frac * 100)}%` }} />
      </div>
      <span className="mono">
        epoch {Math.min(s.epoch + 1, s.epochs)}/{s.epochs}
        {run.lastStep ? ` · loss ${fmt(run.lastStep.loss)}` : ''}
        {lastEpoch ? ` · val acc ${pct(lastEpoch.valAcc)}` : ''}
      </span>
    </div>
  );
}

function StatePill({ state }: { state: VariantProgress['state'] }) {
  const cls = state === 'training' ? 'running' : state;
  return <span className={`pill state-${cls}`}>{state === 'training' ? 'training' : state}</span>;
}

/** Opens a run's dashboards in the Training workspace. */
function useOpenRun(): (runId: string) => void {
  const { manager, lab } = useEditor();
  const telemetry = useTelemetryStore();
  return (runId) => {
    telemetry.select(runId);
    const r = telemetry.get(runId);
    void lab?.runDetail({ id: runId }).then((d) => {
      if (!r || r.state !== 'running') telemetry.load(d);
    });
    void manager.execute('view.workspace', { workspace: 'training' }, 'ui');
  };
}

function finalValue(metric: MetricSpec | undefined, result: ExperimentResult | undefined, id: string): string {
  if (!metric || !result) return '';
  const v = result.verdict.perVariant[id]?.[metric.key];
  return v === undefined ? '' : formatMeasure(metric.key, v);
}

// ---- Guided experiments ----

function VariantsTable({ info, variants, result, running }: { info: ExperimentInfo; variants: readonly VariantProgress[]; result?: ExperimentResult; running: boolean }) {
  const openRun = useOpenRun();
  const diff = useMemo(() => configDiff(info.variants.map((v) => v.config as unknown as Record<string, unknown>)).filter((r) => r.path !== 'seed'), [info]);
  return (
    <Card title="Variants" info={`${info.variants.length} on ${info.dataset}; the same seed for each`} span={2} testId="exp-variants">
      <div className="exp-table-wrap">
        <table className="exp-table" data-testid="exp-variants-table">
          <thead>
            <tr>
              <th />
              <th>variant</th>
              <th>what differs</th>
              <th>params</th>
              <th>FLOPs</th>
              <th>state</th>
              <th>{info.metric.label}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {info.variants.map((v, i) => {
              const p = variants.find((x) => x.id === v.id);
              const k = info.variants.indexOf(v);
              // Only the settings this variant sets: unset ('—') and empty ('{}') entries are the other variants' business.
              const differs = diff.filter((row) => row.values[k] !== '—' && row.values[k] !== '{}').map((row) => `${settingLabel(row.path)} ${row.values[k]}`);
              return (
                <tr key={v.id} data-testid="exp-variant-row" data-variant={v.id} data-state={p?.state ?? 'pending'}>
                  <td>
                    <span className="legend-swatch wide" style={{ background: seriesColor(i) }} />
                  </td>
                  <td className="exp-vname">{v.name}</td>
                  <td className="exp-vdiff">
                    {v.description}
                    {differs.length > 0 && <div className="mono muted">{differs.join(' · ')}</div>}
                  </td>
                  <td className="mono">{compactCount(v.params)}</td>
                  <td className="mono">{compactCount(v.flops)}</td>
                  <td className="exp-vstate">
                    {p?.state === 'training' ? (
                      <LiveProgress runId={p.runId} />
                    ) : !p || (p.state === 'pending' && !running) ? (
                      <span className="muted">not run</span>
                    ) : info.kind === 'computed' && p.state === 'skipped' ? (
                      <span className="pill state-completed">computed</span>
                    ) : (
                      <StatePill state={p.state} />
                    )}
                    {p?.error && (
                      <div className="exp-verror" title={p.error}>
                        {p.result?.divergedAtStep !== undefined ? `diverged at step ${p.result.divergedAtStep}` : p.error}
                      </div>
                    )}
                  </td>
                  <td className="mono">{running && p?.state !== 'completed' ? '' : finalValue(info.metric, result, v.id)}</td>
                  <td>
                    {p?.runId && (
                      <button className="btn small-btn" onClick={() => openRun(p.runId!)} title="Open this run's dashboards">
                        Dashboards
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function configSummary(info: ExperimentInfo): string {
  const c = info.variants[0]?.config;
  if (!c) return '';
  const parts = [plural(c.epochs, 'epoch'), `batch ${c.batchSize}`];
  const t = (c as { trainLimit?: number }).trainLimit;
  if (t) parts.push(`${t.toLocaleString('en-US')} training images`);
  const opt = (c as { optimizer?: { name: string; lr: number } }).optimizer;
  if (opt) parts.push(`${opt.name} lr ${opt.lr}`);
  return parts.join(' · ');
}

export function GuidedDetail({ store, id }: { store: ExperimentsStore; id: string }) {
  const { lab, manager } = useEditor();
  const info = useExperimentsState(store, (s) => s.list?.builtin.find((e) => e.id === id));
  const session = useExperimentsState(store, (s) => s.sessions[id]);
  const last = useExperimentsState(store, (s) => s.last[resultKey('guided', id)]);
  const verdict = useExperimentsState(store, (s) => s.verdicts[resultKey('guided', id)]);
  const starting = useExperimentsState(store, (s) => !!s.pending[resultKey('guided', id)]);
  const loaded = useExperimentsState(store, (s) => !!s.list);
  const concurrency = useExperimentsState(store, (s) => s.concurrency);
  // Re-render when the reason Start/Stop are disabled may change.
  const startProblem = useExperimentsState(store, () => store.problem('start'));
  const [error, setError] = useState<string | null>(null);
  const [loadingFull, setLoadingFull] = useState(false);
  useEffect(() => {
    if (!verdict?.complete || (last && last.startedAt >= verdict.complete.startedAt)) return;
    setLoadingFull(true);
    void store.loadFull('guided', id).finally(() => setLoadingFull(false));
  }, [store, id, verdict?.complete?.startedAt, last?.startedAt]);
  const running = !!session?.running;
  const finishedKey = session?.variants.map((v) => `${v.id}:${v.state}:${v.result ? 1 : 0}`).join(',');
  useEffect(() => {
    if (running) void store.fillFinished(id);
  }, [store, id, running, finishedKey]);
  // A stopped attempt of this page's session is shown (with a note) unless the user asks for the last complete one.
  const [showComplete, setShowComplete] = useState<string | null>(null);
  const result = running ? undefined : session?.result && !(session.result.stopped && last && showComplete === session.session) ? session.result : last;
  const variants: VariantProgress[] = useMemo(() => {
    if (running && session) return session.variants;
    if (result) return result.variants.map((r) => ({ id: r.variant, name: r.name, state: r.state, result: r, ...(r.runId ? { runId: r.runId } : {}), ...(r.error ? { error: r.error } : {}) }));
    return session?.variants ?? [];
  }, [running, session, result]);
  const ordered = useMemo(
    () => (info ? info.variants.map((v) => variants.find((x) => x.id === v.id) ?? { id: v.id, name: v.name, state: 'pending' as const }) : variants).map((v) => ({ ...v, name: info?.variants.find((x) => x.id === v.id)?.name ?? v.name })),
    [info, variants],
  );
  // Variants without a result yet (training, or finished before a page reload) are drawn from their runs' telemetry.
  const liveRunIds = ordered.filter((v) => v.runId && !v.result).map((v) => v.runId!);
  const series = useSeries(ordered, liveRunIds);
  useRunTelemetry(liveRunIds);
  if (!info) return <Empty height={200}>{loaded ? `No experiment '${id}'.` : 'Loading…'}</Empty>;
  const act = (name: 'experiment.start' | 'experiment.stop') => {
    setError(null);
    void manager.execute(name, undefined, 'ui').then((r) => {
      if (!r.ok && r.reason === 'error') setError(r.error instanceof Error ? r.error.message : String(r.error));
    });
  };
  const openProjects = () => {
    store.createProjects(id).then(
      (paths) => {
        manager.ctx.toast(`Wrote ${paths.length} projects to ${paths[0]?.replace(/\/[^/]*$/, '')}/; opened ${paths[0]?.split('/').pop()}.`, 'success');
        if (paths[0]) void manager.execute('file.openPath', { path: paths[0] }, 'ui').then(() => manager.execute('view.workspace', { workspace: 'editor' }, 'ui'));
      },
      (e: Error) => setError(e.message),
    );
  };
  const done = session?.variants.filter((v) => v.state !== 'pending' && v.state !== 'training').length ?? 0;
  return (
    <div className="exp-detail" data-testid="exp-detail" data-experiment={id}>
      <header className="exp-detail-head">
        <BackButton store={store} />
        <div className="exp-detail-title">
          <span className="exp-detail-name">{info.title}</span>
          <span className="pill concept">{info.concept}</span>
        </div>
        <span className="spacer" />
        {running && (
          <span className="exp-running muted" data-testid="exp-running">
            <span className="live-dot" /> {done} of {plural(session!.variants.length, 'variant')} done
          </span>
        )}
        <button className="btn" onClick={openProjects} title="Write every variant as a project and open the first in the editor" data-testid="exp-projects">
          <Icon name="open" size={13} /> Open variants as projects
        </button>
        {info.kind === 'trained' && !running && (
          <select className="input exp-concurrency" value={concurrency} onChange={(e) => store.setConcurrency(Number(e.target.value))} title="Train the variants one after another, or two interleaved" data-testid="exp-concurrency">
            <option value={1}>one after another</option>
            <option value={2}>two at a time</option>
          </select>
        )}
        {running ? (
          <button className="btn" onClick={() => act('experiment.stop')} data-testid="exp-stop" title="Stop the runs in flight and skip the rest (experiment.stop)">
            <Icon name="stop" size={13} /> Stop
          </button>
        ) : (
          <button className="btn primary" onClick={() => act('experiment.start')} disabled={starting || !!startProblem} title={startProblem ?? 'Train every variant and compute the verdict (experiment.start)'} data-testid="exp-start">
            <Icon name="play" size={13} /> {result ? 'Run again' : info.kind === 'computed' ? 'Compute' : 'Start'}
          </button>
        )}
      </header>
      <div className="exp-detail-scroll">
        {(error || session?.error) && <div className="field-error exp-pad" data-testid="exp-error">{error ?? session?.error}</div>}
        {!running && result && result.stopped && (
          <p className="muted exp-partial-note" data-testid="exp-partial">
            This attempt was stopped before every variant finished: its verdict covers only what finished.
            {last && last !== result && session && (
              <>
                {' '}
                <button className="exp-link" onClick={() => setShowComplete(session.session)} data-testid="exp-show-complete">
                  Show the last complete verdict ({ago(last.startedAt)})
                </button>
              </>
            )}
          </p>
        )}
        {!running && result && !result.stopped && verdict?.stoppedLater && verdict.stoppedLater.startedAt > result.startedAt && (
          <p className="muted exp-partial-note" data-testid="exp-stopped-later">
            A later attempt ({ago(verdict.stoppedLater.startedAt)}) was stopped before every variant finished; this is the last complete verdict.
          </p>
        )}
        <div className="exp-top">
          <section className="dash-card exp-about" data-testid="exp-about">
            <header className="dash-card-head">
              <span className="dash-card-title">The claim</span>
              <span className="dash-card-info" title={`notes ${info.notes.files.join(', ')} · ${info.notes.section}`}>
                notes {info.notes.files.join(', ')} · {info.notes.section}
              </span>
            </header>
            <div className="exp-about-body">
              <p className="exp-claim">{info.claim}</p>
              <p className="exp-explanation">{info.explanation}</p>
              <div className="exp-formula" data-testid="exp-formula">
                {info.formula.split(/;\s+/).map((line, i) => (
                  <div key={i}>{line}</div>
                ))}
              </div>
              <div className="exp-facts muted">
                {info.kind === 'computed' ? 'Computed from the graphs (no training)' : `Trains on ${info.dataset}: ${configSummary(info)}`} · {estimate(info.estimatedSeconds, info.kind)}
                {info.study && ' · a study: each variant trains in the lab’s own small loop (not as a run in Runs)'}
              </div>
            </div>
          </section>
          <VerdictCard
            result={result}
            metric={info.metric}
            names={info.variants}
            placeholder={
              running
                ? `Training… the verdict is computed when every variant has finished (${done}/${session!.variants.length}).`
                : loadingFull
                  ? 'Loading the last verdict…'
                  : info.kind === 'computed'
                  ? 'Compute: the verdict is measured from the variants’ graphs.'
                  : `Start the experiment: it trains the ${plural(info.variants.length, 'variant')} one after another and computes the verdict from their runs.`
            }
          />
        </div>
        <div className="dash-grid">
          <VariantsTable info={info} variants={ordered} result={result} running={running} />
        </div>
        <ExperimentCharts kinds={info.charts} series={series} result={result} costs={info.variants} lab={lab} />
      </div>
    </div>
  );
}

// ---- Saved (user) experiments ----

const SAVED_CHARTS: ChartKind[] = ['val_accuracy', 'val_loss', 'train_loss'];

export function SavedDetail({ store, id }: { store: ExperimentsStore; id: string }) {
  const { manager } = useEditor();
  const doc: UserExperiment | undefined = useExperimentsState(store, (s) => s.list?.saved.find((e) => e.id === id));
  const result = useExperimentsState(store, (s) => s.last[resultKey('user', id)]);
  const evaluating = useExperimentsState(store, (s) => !!s.pending[resultKey('user', id)]);
  const loaded = useExperimentsState(store, (s) => !!s.list);
  const [error, setError] = useState<string | null>(null);
  const evaluate = () => {
    setError(null);
    store.evaluate(id).catch((e: Error) => setError(e.message));
  };
  useEffect(() => {
    // The stored verdict when there is one (read in full now), else evaluate the runs.
    if (doc && !result) void store.loadFull('user', id).then((r) => {
        if (!r) evaluate();
      });
  }, [doc?.id]);
  const names = useMemo(() => (doc ? doc.runs.map((r) => ({ id: r.runId, name: r.name, runId: r.runId, result: result?.variants.find((v) => v.variant === r.runId) })) : []), [doc, result]);
  const series = useSeries(names, []);
  const openRun = useOpenRun();
  if (!doc) return <Empty height={200}>{loaded ? `No saved experiment '${id}'.` : 'Loading…'}</Empty>;
  const metric = runMetric(doc.metric);
  const remove = async () => {
    if (!(await manager.ctx.confirm('Delete this experiment?', `“${doc.title}” is removed from the gallery; its runs stay.`, { confirmLabel: 'Delete', danger: true }))) return;
    await store.remove(id).then(
      () => {
        store.open({ kind: 'gallery' });
        manager.ctx.toast(`Deleted “${doc.title}”.`, 'info');
      },
      (e: Error) => setError(e.message),
    );
  };
  return (
    <div className="exp-detail" data-testid="exp-detail" data-experiment={id}>
      <header className="exp-detail-head">
        <BackButton store={store} />
        <div className="exp-detail-title">
          <span className="exp-detail-name">{doc.title}</span>
          <span className="pill concept">{doc.concept ?? 'Your comparison'}</span>
        </div>
        <span className="spacer" />
        <button className="btn" onClick={() => void remove()} data-testid="exp-delete">
          <Icon name="trash" size={13} /> Delete
        </button>
        <button className="btn primary" onClick={evaluate} disabled={evaluating} data-testid="exp-evaluate">
          <Icon name="repeat" size={13} /> {evaluating ? 'Evaluating…' : 'Evaluate again'}
        </button>
      </header>
      <div className="exp-detail-scroll">
        {error && <div className="field-error exp-pad" data-testid="exp-error">{error}</div>}
        <div className="exp-top">
          <section className="dash-card exp-about" data-testid="exp-about">
            <header className="dash-card-head">
              <span className="dash-card-title">The comparison</span>
              <span className="dash-card-info">saved {ago(doc.createdAt)}</span>
            </header>
            <div className="exp-about-body">
              <p className="exp-claim">
                {plural(doc.runs.length, 'run')} compared on the {metric?.label ?? doc.metric} ({metric?.better === 'lower' ? 'lower' : 'higher'} is better)
                {doc.expectedBest ? `; expected best: ${doc.runs.find((r) => r.runId === doc.expectedBest)?.name ?? doc.expectedBest}` : ''}.
              </p>
              {doc.explanation && <p className="exp-explanation">{doc.explanation}</p>}
              <ul className="exp-runs">
                {doc.runs.map((r, i) => (
                  <li key={r.runId}>
                    <span className="legend-swatch wide" style={{ background: seriesColor(i) }} /> <b>{r.name}</b> <span className="mono muted">{r.runId}</span>
                    <button className="btn small-btn" onClick={() => openRun(r.runId)}>
                      Dashboards
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          </section>
          <VerdictCard result={result} metric={metric} names={names} placeholder={evaluating ? 'Evaluating the runs…' : 'Evaluate to compare the runs.'} />
        </div>
        <ExperimentCharts kinds={SAVED_CHARTS} series={series} result={result} costs={[]} lab={null} />
      </div>
    </div>
  );
}
