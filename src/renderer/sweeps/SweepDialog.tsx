import { useMemo, useState } from 'react';
import type { GraphDoc } from '../../shared/graph/types';
import { STRATEGIES, type StrategyName } from '../../shared/sweeps/strategies';
import { SWEEP_METRICS, type PrunerKind, type SweepMetric } from '../../shared/sweeps/types';
import { Modal } from '../app/Modal';
import { addableKeys, choiceHint, defaultRows, rowFor, spaceFromRows, type SpaceRow } from './spaceDraft';

export interface SweepRequest {
  space: NonNullable<ReturnType<typeof spaceFromRows>['space']>;
  strategy: StrategyName;
  trials: number;
  parallel: number;
  metric: SweepMetric;
  /** Early stopping of hopeless trials: the median rule, ASHA (successive halving) or none. */
  prune: PrunerKind;
}

const STRATEGY_LABEL: Record<StrategyName, string> = { tpe: 'TPE (learns from the trials)', random: 'Random', grid: 'Grid' };
const KIND_LABEL: Record<SpaceRow['kind'], string> = { logUniform: 'log-uniform', uniform: 'uniform', intUniform: 'integer', choice: 'choice' };

/** Defines a sweep from the Train panel: which parameters to search over which ranges, the strategy and the budget. */
export function SweepDialog({ graph, epochs, onClose, onStart }: { graph: GraphDoc; epochs: number; onClose(): void; onStart(r: SweepRequest): Promise<string | null> }) {
  const [rows, setRows] = useState<SpaceRow[]>(() => defaultRows(graph));
  const [strategy, setStrategy] = useState<StrategyName>('tpe');
  const [trials, setTrials] = useState('12');
  const [parallel, setParallel] = useState('1');
  const [metric, setMetric] = useState<SweepMetric>('val_accuracy');
  const [prune, setPrune] = useState<PrunerKind>('median');
  const [adding, setAdding] = useState('');
  const [busy, setBusy] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const { space, errors } = useMemo(() => spaceFromRows(rows, graph), [rows, graph]);
  const addable = useMemo(() => addableKeys(graph, rows), [graph, rows]);
  const nTrials = Number(trials);
  const nParallel = Number(parallel);
  const budgetError = !Number.isInteger(nTrials) || nTrials < 1 || nTrials > 1000 ? 'Trials: a whole number from 1 to 1000' : !Number.isInteger(nParallel) || nParallel < 1 || nParallel > 8 ? 'At once: a whole number from 1 to 8' : null;
  const edit = (i: number, patch: Partial<SpaceRow>) => setRows((rs) => rs.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  const start = async () => {
    if (!space || budgetError) return;
    setBusy(true);
    setStartError(await onStart({ space, strategy, trials: nTrials, parallel: nParallel, metric, prune }));
    setBusy(false);
  };
  return (
    <Modal
      title="New sweep"
      onClose={onClose}
      width={720}
      testId="sweep-dialog"
      footer={
        <>
          <span className="muted sw-foot-note">Each trial is a normal run with the Train panel's settings ({epochs} epoch{epochs === 1 ? '' : 's'}, dataset, backend) and the values below.</span>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" data-testid="sweep-start" disabled={!space || !!budgetError || busy} onClick={() => void start()}>
            Start sweep
          </button>
        </>
      }
    >
      <table className="sw-space" data-testid="sweep-space">
        <thead>
          <tr>
            <th />
            <th>Parameter</th>
            <th>Distribution</th>
            <th>Range or values</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={r.key} className={r.enabled ? '' : 'off'} data-testid="sweep-row" data-key={r.key}>
              <td>
                <input type="checkbox" checked={r.enabled} onChange={(e) => edit(i, { enabled: e.target.checked })} aria-label={`search ${r.key}`} data-testid="sweep-row-on" />
              </td>
              <td className="mono">{r.key}</td>
              <td>
                <select value={r.kind} onChange={(e) => edit(i, { kind: e.target.value as SpaceRow['kind'] })} data-testid="sweep-row-kind">
                  {(Object.keys(KIND_LABEL) as SpaceRow['kind'][]).map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABEL[k]}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {r.kind === 'choice' ? (
                  <input className="sw-choices mono" value={r.choices} placeholder={choiceHint(r.key)} onChange={(e) => edit(i, { choices: e.target.value })} data-testid="sweep-row-choices" />
                ) : (
                  <span className="sw-range">
                    <input className="mono" value={r.lo} onChange={(e) => edit(i, { lo: e.target.value })} aria-label={`${r.key} low`} data-testid="sweep-row-lo" />
                    <span className="muted">to</span>
                    <input className="mono" value={r.hi} onChange={(e) => edit(i, { hi: e.target.value })} aria-label={`${r.key} high`} data-testid="sweep-row-hi" />
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="sw-add">
        <select value={adding} onChange={(e) => setAdding(e.target.value)} data-testid="sweep-add-key">
          <option value="">Add a parameter: a training setting or a block's (label.param)…</option>
          <optgroup label="Training settings">
            {addable.filter((a) => a.group === 'training').map((a) => (
              <option key={a.key} value={a.key} title={a.hint}>
                {a.key}
              </option>
            ))}
          </optgroup>
          <optgroup label="Block parameters">
            {addable.filter((a) => a.group === 'block').map((a) => (
              <option key={a.key} value={a.key} title={a.hint}>
                {a.key}
              </option>
            ))}
          </optgroup>
        </select>
        <button
          className="btn"
          disabled={!adding}
          data-testid="sweep-add"
          onClick={() => {
            setRows((rs) => [...rs, rowFor(adding, graph)]);
            setAdding('');
          }}
        >
          Add
        </button>
      </div>
      <div className="sw-settings">
        <label>
          Strategy
          <select value={strategy} onChange={(e) => setStrategy(e.target.value as StrategyName)} data-testid="sweep-strategy">
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {STRATEGY_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Trials
          <input className="mono" value={trials} onChange={(e) => setTrials(e.target.value)} data-testid="sweep-trials" />
        </label>
        <label title="Trials that train at the same time">
          At once
          <input className="mono" value={parallel} onChange={(e) => setParallel(e.target.value)} data-testid="sweep-parallel" />
        </label>
        <label>
          Optimise
          <select value={metric} onChange={(e) => setMetric(e.target.value as SweepMetric)} data-testid="sweep-metric">
            {SWEEP_METRICS.map((m) => (
              <option key={m} value={m}>
                {m === 'val_accuracy' ? 'validation accuracy (max)' : 'validation loss (min)'}
              </option>
            ))}
          </select>
        </label>
        <label title="Median rule: after each epoch, a trial whose best so far is below the median of the other trials at that epoch stops (needs 3 trials that got there). ASHA: at epochs 1, 3, 9 … only the top third of the trials that reached it go on.">
          Stop hopeless trials
          <select value={prune} onChange={(e) => setPrune(e.target.value as PrunerKind)} data-testid="sweep-prune">
            <option value="median">median rule</option>
            <option value="asha">ASHA (successive halving)</option>
            <option value="none">never</option>
          </select>
        </label>
      </div>
      {[...errors, ...(budgetError ? [budgetError] : []), ...(startError ? [startError] : [])].map((e) => (
        <div key={e} className="field-error" data-testid="sweep-error">
          {e}
        </div>
      ))}
    </Modal>
  );
}
