import { useEditorState, useRun as useAction } from '../app/context';
import { Icon } from '../app/Icon';
import { formatDuration, progressOf } from '../telemetry/progress';
import { useRun, useRunVersion } from '../telemetry/react';
import { fmt } from './chartKit';

/** The live run in the status bar: state, epoch, step, loss, samples/s, ETA and a small progress bar. */
export function RunStatusItem() {
  const info = useEditorState((s) => s.run);
  const act = useAction();
  const run = useRun(info?.id);
  useRunVersion(run, 'steps', 'status', 'epochs');
  if (!info) return null;
  const state = run?.summary?.state ?? info.state;
  const p = run ? progressOf(run) : null;
  return (
    <button className="status-item status-btn status-run run" data-testid="run-status" onClick={() => act('view.training')} title="Show the training dashboards">
      <Icon name={state === 'running' ? 'play' : 'stop'} size={11} />
      <span data-testid="run-status-state">{state}</span>
      {p && p.epochs > 0 && <span>· epoch {p.epoch}/{p.epochs}</span>}
      {p && <span>· step <b>{p.step}</b></span>}
      {run?.lastStep && <span>· loss <b>{fmt(run.lastStep.loss)}</b></span>}
      {state === 'running' && p?.samplesPerSec ? <span>· {Math.round(p.samplesPerSec)}/s</span> : null}
      {state === 'running' && p?.eta !== null && p?.eta !== undefined && <span>· ETA {formatDuration(p.eta)}</span>}
      {p?.fraction !== null && p?.fraction !== undefined && (
        <span className="status-progress">
          <span style={{ width: `${p.fraction * 100}%` }} />
        </span>
      )}
    </button>
  );
}
