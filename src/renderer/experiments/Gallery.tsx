import type { ExperimentInfo, UserExperiment } from '../../shared/api';
import type { LastVerdict } from '../../shared/experiments/summary';
import { runMetric } from '../../shared/experiments/measures';
import { useEditor } from '../app/context';
import { Icon } from '../app/Icon';
import { ago } from '../core/format';
import { Empty } from '../dashboards/chartKit';
import { estimate } from './model';
import { resultKey, useExperimentsState, type ExperimentsStore } from './store';
import { plural } from '../../shared/plural';

export const DIRECTION_LABEL = { supports: 'Supports the claim', contradicts: 'Contradicts the claim', inconclusive: 'Inconclusive' } as const;

export function VerdictBadge({ direction, small }: { direction: keyof typeof DIRECTION_LABEL; small?: boolean }) {
  return (
    <span className={`verdict-badge ${direction} ${small ? 'small' : ''}`} data-testid="verdict-badge" data-direction={direction}>
      <Icon name={direction === 'supports' ? 'check' : direction === 'contradicts' ? 'close' : 'info'} size={small ? 11 : 13} />
      {DIRECTION_LABEL[direction]}
    </span>
  );
}

function LastVerdictFoot({ verdict, running, progress }: { verdict?: LastVerdict; running?: boolean; progress?: string }) {
  if (running)
    return (
      <div className="exp-card-foot running" data-testid="exp-card-running">
        <span className="live-dot" /> Running{progress ? ` · ${progress}` : ''}
      </div>
    );
  const done = verdict?.complete;
  const stopped = verdict?.stoppedLater;
  const stoppedNote = stopped && (
    <span className="muted exp-card-stopped" data-testid="exp-card-stopped" title={`Stopped ${ago(stopped.startedAt)} after ${stopped.variants.filter((v) => v.state === 'completed' || v.state === 'failed').length} of ${plural(stopped.variants.length, 'variant')}; the verdict shown is the last complete one.`}>
      {done ? 'a later attempt was stopped' : `stopped ${ago(stopped.startedAt)} before every variant finished`}
    </span>
  );
  if (!done)
    return (
      <div className="exp-card-foot muted">
        {stopped ? stoppedNote : 'Not run yet'}
      </div>
    );
  return (
    <div className="exp-card-foot-wrap">
      <div className="exp-card-foot" title={done.verdict.text}>
        <VerdictBadge direction={done.verdict.direction} small />
        <span className="exp-card-detail">{done.verdict.detail}</span>
        <span className="muted exp-card-when">{ago(done.startedAt)}</span>
      </div>
      {stoppedNote && <div className="exp-card-note">{stoppedNote}</div>}
    </div>
  );
}

function GuidedCard({ info, store }: { info: ExperimentInfo; store: ExperimentsStore }) {
  const verdict = useExperimentsState(store, (s) => s.verdicts[resultKey('guided', info.id)]);
  const session = useExperimentsState(store, (s) => s.sessions[info.id]);
  const done = session?.variants.filter((v) => v.state !== 'pending' && v.state !== 'training').length ?? 0;
  return (
    <button className="exp-card" data-testid="exp-card" data-experiment={info.id} onClick={() => store.open({ kind: 'builtin', id: info.id })}>
      <div className="exp-card-top">
        <span className="pill concept" title={info.concept}>
          {info.concept}
        </span>
        <span className="spacer" />
        <span className="muted exp-card-meta">
          {info.dataset} · {plural(info.variants.length, 'variant')} · {estimate(info.estimatedSeconds, info.kind)}
        </span>
      </div>
      <div className="exp-card-title">{info.title}</div>
      <p className="exp-card-claim">{info.claim}</p>
      <div className="muted exp-card-notes" data-testid="exp-card-notes" title={info.notes.section}>
        from notes {info.notes.files.join(', ')}
      </div>
      <LastVerdictFoot verdict={verdict} running={session?.running} progress={session ? `${done}/${plural(session.variants.length, 'variant')}` : undefined} />
    </button>
  );
}

function SavedCard({ doc, store }: { doc: UserExperiment; store: ExperimentsStore }) {
  const verdict = useExperimentsState(store, (s) => s.verdicts[resultKey('user', doc.id)]);
  return (
    <button className="exp-card saved" data-testid="exp-saved-card" data-experiment={doc.id} onClick={() => store.open({ kind: 'saved', id: doc.id })}>
      <div className="exp-card-top">
        <span className="pill concept">{doc.concept ?? 'Your comparison'}</span>
        <span className="spacer" />
        <span className="muted exp-card-meta">
          {plural(doc.runs.length, 'run')} · {runMetric(doc.metric)?.label ?? doc.metric}
        </span>
      </div>
      <div className="exp-card-title">{doc.title}</div>
      <p className="exp-card-claim">{doc.runs.map((r) => r.name).join(' vs ')}</p>
      <LastVerdictFoot verdict={verdict} />
    </button>
  );
}

export function Gallery({ store }: { store: ExperimentsStore }) {
  const { manager } = useEditor();
  const list = useExperimentsState(store, (s) => s.list);
  const error = useExperimentsState(store, (s) => s.listError);
  return (
    <div className="exp-gallery" data-testid="exp-gallery">
      <div className="exp-gallery-head">
        <div>
          <h2>Experiments</h2>
          <p className="muted">Claims from the study notes as side-by-side runs. Each verdict is computed from the measured results.</p>
        </div>
        <span className="spacer" />
        <button className="btn" onClick={() => void manager.execute('experiment.saveFromRuns', undefined, 'ui')} data-testid="exp-save-open">
          <Icon name="plus" size={13} /> Save experiment from runs…
        </button>
        <button className="icon-btn" onClick={() => void store.load(true)} title="Refresh" aria-label="Refresh">
          <Icon name="repeat" size={13} />
        </button>
      </div>
      {error && <div className="field-error exp-pad">{error}</div>}
      {!list && !error && <Empty height={160}>Loading…</Empty>}
      {list && (
        <>
          <div className="exp-grid">
            {list.builtin.map((info) => (
              <GuidedCard key={info.id} info={info} store={store} />
            ))}
          </div>
          <h3 className="exp-section">Your experiments</h3>
          {list.saved.length === 0 ? (
            <p className="muted exp-pad">None yet. Train two or more runs, then “Save experiment from runs…” compares them on a metric you choose.</p>
          ) : (
            <div className="exp-grid">
              {list.saved.map((doc) => (
                <SavedCard key={doc.id} doc={doc} store={store} />
              ))}
            </div>
          )}
        </>
      )}
    </div>
  );
}
