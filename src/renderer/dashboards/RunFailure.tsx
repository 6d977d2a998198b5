import { useMemo } from 'react';
import { explainRunError } from '../../shared/training/runErrors';
import { useEditorState, useRun as useAction } from '../app/context';
import { Icon } from '../app/Icon';
import type { RunTelemetry } from '../telemetry/run';
import { graphOf } from './runInfo';

/** Whether a run failed: its dashboards then show why, in place of (or above) the charts. */
export const hasFailed = (run: RunTelemetry): boolean => run.summary?.state === 'failed';

/** Whether the run produced anything to chart before it failed. */
export const hasData = (run: RunTelemetry): boolean => run.lastStep !== null || run.epochs.length > 0;

/**
 * A failed run's error and its fix. `full`: the run failed before its first step, so this stands where the
 * charts would be; otherwise it is a banner above the charts of the steps that did run.
 */
export function RunFailure({ run, full }: { run: RunTelemetry; full: boolean }) {
  const act = useAction();
  const error = run.summary?.error ?? 'The run failed without a message.';
  const graph = graphOf(run);
  const explained = useMemo(() => explainRunError(error, graph), [error, graph]);
  const nodeInDoc = useEditorState((s) => !!explained.nodeId && s.doc.nodes.some((n) => n.id === explained.nodeId));
  const step = run.lastStep?.step ?? run.summary?.step ?? 0;
  return (
    <div className={`run-failure ${full ? 'full' : ''}`} role="alert" data-testid="run-failure">
      <div className="run-failure-title">
        <Icon name="warning" size={14} />
        {full ? 'The run failed before its first step' : `The run failed at step ${step}`}
      </div>
      <p className="run-failure-message mono" data-testid="run-failure-message">
        {explained.message}
      </p>
      {explained.fix && (
        <p className="run-failure-fix" data-testid="run-failure-fix">
          <b>Fix:</b> {explained.fix}
        </p>
      )}
      {nodeInDoc && (
        <button className="btn" data-testid="run-failure-show" onClick={() => act('view.workspace', { workspace: 'editor', focus: [explained.nodeId!] })}>
          Show the block in the editor
        </button>
      )}
    </div>
  );
}
