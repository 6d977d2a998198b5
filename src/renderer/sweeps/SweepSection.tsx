import { useState } from 'react';
import { analysisOf } from '../core/analysis';
import { serializeProject } from '../core/project';
import { useEditor, useEditorState } from '../app/context';
import { Section } from '../train/fields';
import { runConfig, type TrainDraft } from '../train/draft';
import { useSweeps } from './store';
import { SweepDialog, type SweepRequest } from './SweepDialog';
import './sweeps.css';

/** The Train panel's sweep section: define a sweep of the open graph with the panel's settings, and reopen recent ones. */
export function SweepSection({ draft }: { draft: TrainDraft }) {
  const { lab } = useEditor();
  const doc = useEditorState((s) => s.doc);
  const errors = useEditorState((s) => analysisOf(s.doc).errors);
  const { list, store, openId } = useSweeps(lab);
  const [defining, setDefining] = useState(false);
  const start = async (r: SweepRequest): Promise<string | null> => {
    if (!lab || !store) return 'Sweeps need a host connection';
    try {
      const s = await lab.startSweep({ project: serializeProject(doc), dataset: draft.dataset, config: runConfig(draft.config), space: r.space, strategy: r.strategy, trials: r.trials, parallel: r.parallel, metric: r.metric, pruner: { kind: r.prune } });
      store.upsert(s);
      store.open(s.id);
      setDefining(false);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  };
  const blocked = errors > 0 ? 'Fix the graph’s errors first' : !draft.dataset ? 'Pick a dataset first' : null;
  return (
    <Section title="Sweep" defaultOpen testId="tp-sweep">
      <p className="tp-note muted">Search learning rate, batch size, optimizer, any block parameter… Each trial is a normal run.</p>
      <button className="btn" data-testid="sweep-new" disabled={!!blocked || !lab} title={blocked ?? 'Define a hyper-parameter sweep with these settings'} onClick={() => setDefining(true)}>
        New sweep…
      </button>
      {list && list.length > 0 && (
        <ul className="sw-recent" data-testid="sweep-list">
          {list.slice(0, 5).map((s) => (
            <li key={s.id} className={openId === s.id ? 'on' : ''}>
              <button className="link-btn" data-testid="sweep-open" data-sweep={s.id} onClick={() => store?.open(openId === s.id ? null : s.id)} title={s.name}>
                {s.name.replace(/^Sweep · /, '')}
              </button>
              <span className={`pill state-${s.state === 'stopped' ? 'stopped' : s.state}`}>{s.state}</span>
              <span className="muted mono">
                {s.results.filter((t) => t.state !== 'running' && t.state !== 'interrupted').length}/{s.trials}
              </span>
            </li>
          ))}
        </ul>
      )}
      {defining && <SweepDialog graph={doc} epochs={draft.config.epochs} onClose={() => setDefining(false)} onStart={start} />}
    </Section>
  );
}
