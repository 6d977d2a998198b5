import { Icon } from '../app/Icon';
import { useRunVersion } from '../telemetry/react';
import type { RunTelemetry } from '../telemetry/run';

/** Where the run was last resumed from: exactly at its step, or with an epoch trained again (a warning). */
export function ResumeNote({ run }: { run: RunTelemetry }) {
  useRunVersion(run, 'steps');
  const last = run.resumes[run.resumes.length - 1];
  if (!last) return null;
  return (
    <div className={`resume-note ${last.exact ? 'exact' : 'inexact'}`} data-testid="run-resume-note" data-exact={last.exact}>
      <Icon name={last.exact ? 'info' : 'warning'} size={12} />
      <span>{last.message}</span>
    </div>
  );
}
