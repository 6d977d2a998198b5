import { useMemo, useState } from 'react';
import type { SweepSummary, Trial } from '../../shared/api';
import { sensitivities } from '../../shared/sweeps/sensitivity';
import { metricGoal } from '../../shared/sweeps/types';
import { useEditor } from '../app/context';
import { Icon } from '../app/Icon';
import { useTelemetryStore } from '../telemetry/react';
import { metricAxis, paramAxis, type Axis } from './parallel';
import type { SweepsStore } from './store';

const metricText = (s: Pick<SweepSummary, 'metric'>, v: number | undefined | null): string => (v === undefined || v === null ? '–' : s.metric === 'val_accuracy' ? `${(v * 100).toFixed(1)}%` : v.toFixed(4));
const valueText = (v: unknown): string => (typeof v === 'number' && !Number.isInteger(v) ? (Math.abs(v) < 0.01 ? v.toExponential(2) : String(+v.toPrecision(3))) : String(v));

/** Red (worst) to green (best) by the trial's rank of the metric. */
const colour = (t: number): string => `hsl(${Math.round(8 + t * 120)}, 70%, 48%)`;

function ParallelCoordinates({ sweep, onOpen }: { sweep: SweepSummary; onOpen(t: Trial): void }) {
  const keys = Object.keys(sweep.space);
  const values = sweep.results.map((t) => t.value).filter((v): v is number => v !== undefined);
  const axes: Axis[] = [...keys.map((k) => paramAxis(k, sweep.space[k])), metricAxis(sweep.metric, values)];
  const W = 760;
  const H = 260;
  const pad = { l: 40, r: 60, t: 28, b: 22 };
  const x = (i: number) => pad.l + (axes.length === 1 ? 0 : (i * (W - pad.l - pad.r)) / (axes.length - 1));
  const y = (p: number) => pad.t + (1 - p) * (H - pad.t - pad.b);
  const sorted = [...values].sort((a, b) => a - b);
  const goodness = (v: number | undefined) => (v === undefined || sorted.length < 2 ? 0.5 : (metricGoal(sweep.metric) === 'max' ? sorted.indexOf(v) : sorted.length - 1 - sorted.indexOf(v)) / (sorted.length - 1));
  const [hover, setHover] = useState<number | null>(null);
  const lines = [...sweep.results].sort((a, b) => (a.index === sweep.best?.index ? 1 : b.index === sweep.best?.index ? -1 : 0));
  return (
    <svg className="sw-pc" viewBox={`0 0 ${W} ${H}`} data-testid="sweep-parallel" role="img" aria-label="Parallel coordinates: one line per trial through its values and its metric">
      {axes.map((a, i) => (
        <g key={a.key}>
          <line x1={x(i)} x2={x(i)} y1={y(0)} y2={y(1)} className="sw-axis" />
          <text x={x(i)} y={pad.t - 12} textAnchor="middle" className="sw-axis-label">
            {a.key}
          </text>
          {a.ticks.map((t) => (
            <text key={t.label} x={i === axes.length - 1 ? x(i) + 5 : x(i) - 5} y={y(t.at) + 3} textAnchor={i === axes.length - 1 ? 'start' : 'end'} className="sw-tick">
              {t.label}
            </text>
          ))}
        </g>
      ))}
      {lines.map((t) => {
        const pts = axes.map((a, i) => {
          const p = i < keys.length ? a.pos(t.params[keys[i]]) : a.pos(t.value);
          return p === undefined ? null : `${x(i)},${y(p)}`;
        });
        const d = pts.filter(Boolean).join(' ');
        const best = t.index === sweep.best?.index;
        const live = t.state === 'running' || t.value === undefined;
        return (
          <polyline
            key={t.index}
            points={d}
            className={`sw-line ${best ? 'best' : ''} ${live ? 'live' : ''} ${t.state === 'pruned' ? 'pruned' : ''} ${hover === t.index ? 'hover' : ''}`}
            stroke={live ? 'var(--muted)' : colour(goodness(t.value))}
            data-testid="sweep-line"
            data-trial={t.index + 1}
            onMouseEnter={() => setHover(t.index)}
            onMouseLeave={() => setHover(null)}
            onClick={() => t.runId && onOpen(t)}
          >
            <title>{`trial ${t.index + 1} (${t.state}): ${Object.entries(t.params).map(([k, v]) => `${k} ${valueText(v)}`).join(', ')} → ${sweep.metric} ${metricText(sweep, t.value)}`}</title>
          </polyline>
        );
      })}
    </svg>
  );
}

function Sensitivity({ sweep }: { sweep: SweepSummary }) {
  const rows = useMemo(() => sensitivities(sweep.space, sweep.results.filter((t) => t.value !== undefined).map((t) => ({ params: t.params, value: t.value! }))), [sweep]);
  const enough = rows.some((r) => r.trials >= 3);
  return (
    <div className="sw-sens" data-testid="sweep-sensitivity">
      <h4>Sensitivity of {sweep.metric}</h4>
      {!enough ? (
        <p className="muted">Shown once 3 trials have a result.</p>
      ) : (
        <>
          {[...rows].sort((a, b) => b.strength - a.strength).map((r) => (
            <div key={r.key} className="sw-sens-row" data-testid="sweep-sens-row" data-key={r.key}>
              <span className="mono sw-sens-key">{r.key}</span>
              <span className="sw-sens-bar">
                <span style={{ width: `${(r.strength * 100).toFixed(0)}%` }} className={r.value < 0 ? 'neg' : ''} />
              </span>
              <span className="mono">
                {r.method === 'spearman' ? 'ρ' : 'η'} {r.value.toFixed(2)}
              </span>
            </div>
          ))}
          <p className="muted sw-sens-note">ρ: Spearman rank correlation of the value with the metric (sign: larger value → larger metric); η: correlation ratio of a choice with the metric’s ranks. From {rows[0]?.trials ?? 0} finished trials.</p>
        </>
      )}
    </div>
  );
}

/** The sweep view: progress, the best trial so far, the parallel-coordinates plot, sensitivity and the trials; a trial opens its run. */
export function SweepView({ sweep, store }: { sweep: SweepSummary; store: SweepsStore }) {
  const { lab, manager } = useEditor();
  const telemetry = useTelemetryStore();
  const [error, setError] = useState<string | null>(null);
  const open = (t: Trial) => {
    if (!t.runId) return;
    const id = t.runId;
    telemetry.select(id);
    const r = telemetry.get(id);
    void lab?.runDetail({ id }).then((d) => {
      if (!r || r.state !== 'running') telemetry.load(d);
    });
    store.open(null);
    void manager.execute('view.workspace', { workspace: 'training' }, 'ui');
  };
  // Stop waits for the trial's run to stop (a worker still starting answers once it is up): the button says so meanwhile.
  const [busy, setBusy] = useState<'stopping' | 'resuming' | null>(null);
  const act = (what: 'stopping' | 'resuming', f: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    void f()
      .catch((err: Error) => setError(err.message))
      .finally(() => setBusy(null));
  };
  const finished = sweep.results.filter((t) => t.state !== 'running' && t.state !== 'interrupted').length;
  const running = sweep.results.filter((t) => t.state === 'running').length;
  const best = sweep.best;
  const bestTrial = best ? sweep.results[best.index] : undefined;
  return (
    <div className="sw-view" data-testid="sweep-view" data-state={sweep.state}>
      <div className="dash-head">
        <div className="dash-run">
          <span className="dash-run-name">{sweep.name}</span>
          <span className={`pill state-${sweep.state}`} data-testid="sweep-state">
            {sweep.state}
          </span>
        </div>
        <div className="dash-kpis">
          <span>
            trials <b className="mono" data-testid="sweep-progress">{finished}</b>/{sweep.trials}
          </span>
          {running > 0 && <span>{running} training</span>}
          <span className="muted">
            {sweep.strategy} · {sweep.parallel} at once{sweep.pruner.kind === 'median' ? ' · median-rule pruning' : sweep.pruner.kind === 'asha' ? ' · ASHA pruning' : ''}
          </span>
        </div>
        <span className="spacer" />
        {sweep.state === 'running' && (
          <button className="btn" data-testid="sweep-stop" disabled={busy !== null} onClick={() => act('stopping', () => store.stop(sweep.id))} title="Stop the sweep: the trials in flight are interrupted and resume with it">
            <Icon name="stop" size={12} /> {busy === 'stopping' ? 'Stopping…' : 'Stop'}
          </button>
        )}
        {(sweep.state === 'stopped' || sweep.state === 'interrupted') && (
          <button className="btn primary" data-testid="sweep-resume" disabled={busy !== null} onClick={() => act('resuming', () => store.resume(sweep.id))} title="Continue: interrupted trials resume their runs, then new trials start">
            {busy === 'resuming' ? 'Resuming…' : 'Resume'}
          </button>
        )}
        <button className="icon-btn" aria-label="Close the sweep" title="Back to the run dashboards" onClick={() => store.open(null)}>
          <Icon name="close" size={14} />
        </button>
      </div>
      {error && <div className="field-error pad">{error}</div>}
      <div className="dash-scroll sw-body">
        <div className="sw-top">
          <div className="sw-best" data-testid="sweep-best">
            <h4>Best trial so far</h4>
            {best && bestTrial ? (
              <>
                <div className="sw-best-metric">
                  <b className="mono" data-testid="sweep-best-value">{metricText(sweep, best.value)}</b> <span className="muted">{sweep.metric} · trial {best.index + 1}</span>
                </div>
                <table className="sw-best-params">
                  <tbody>
                    {Object.entries(best.params).map(([k, v]) => (
                      <tr key={k}>
                        <td className="mono muted">{k}</td>
                        <td className="mono">{valueText(v)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <button className="btn primary" data-testid="sweep-open-best" disabled={!best.runId} onClick={() => open(bestTrial)}>
                  Open its run
                </button>
              </>
            ) : (
              <p className="muted">No trial has finished an epoch yet.</p>
            )}
          </div>
          <Sensitivity sweep={sweep} />
        </div>
        <ParallelCoordinates sweep={sweep} onOpen={open} />
        <table className="sw-trials" data-testid="sweep-trials">
          <thead>
            <tr>
              <th>#</th>
              <th>state</th>
              <th>{sweep.metric}</th>
              {Object.keys(sweep.space).map((k) => (
                <th key={k}>{k}</th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {sweep.results.map((t) => (
              <tr key={t.index} data-testid="sweep-trial" data-state={t.state} className={t.index === best?.index ? 'best' : ''}>
                <td className="mono">{t.index + 1}</td>
                <td>
                  <span className={`pill state-${t.state === 'pruned' ? 'stopped' : t.state}`} title={t.prunedAt ? `stopped after epoch ${t.prunedAt.epoch}: best ${metricText(sweep, t.prunedAt.best)} < ${sweep.pruner.kind === 'asha' ? 'rung cut-off' : 'median'} ${metricText(sweep, t.prunedAt.median)}` : t.error}>
                    {t.state}
                  </span>
                </td>
                <td className="mono">
                  {metricText(sweep, t.value)}
                  {t.curve.length > 0 && <span className="muted"> ({t.curve.length} ep)</span>}
                </td>
                {Object.keys(sweep.space).map((k) => (
                  <td key={k} className="mono">
                    {valueText(t.params[k])}
                  </td>
                ))}
                <td>
                  {t.runId && (
                    <button className="btn small-btn" data-testid="sweep-trial-open" onClick={() => open(t)}>
                      Open run
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
