import { memo, useState, type ReactNode } from 'react';
import type { Diagnostic } from '../../shared/training/diagnostics';
import { Icon } from '../app/Icon';
import { useCurrentRun, useRunVersion } from '../telemetry/react';
import type { RunTelemetry } from '../telemetry/run';
import { TrainPanel } from '../train/TrainPanel';
import { ActivationsView } from './ActivationsView';
import { BatchNormView } from './BatchNormView';
import { fmt, pct } from './chartKit';
import { useDiagnostics } from './Diagnostics';
import { EvaluationView } from './EvaluationView';
import { graphOf, taskOf } from './runInfo';
import { GradientFlow } from './GradientFlow';
import { LearningCurves } from './LearningCurves';
import { hasData, hasFailed, RunFailure } from './RunFailure';
import { ResumeNote } from './ResumeNote';
import { WeightsView } from './WeightsView';
import { useEditor } from '../app/context';
import { useSweeps } from '../sweeps/store';
import { SweepView } from '../sweeps/SweepView';
import './dashboards.css';

export type DashTab = 'curves' | 'gradients' | 'batchnorm' | 'activations' | 'weights' | 'evaluation';

const TABS: { id: DashTab; label: string; diag: Diagnostic['id'][] }[] = [
  { id: 'curves', label: 'Learning curves', diag: ['overfitting', 'underfitting'] },
  { id: 'gradients', label: 'Gradient flow', diag: ['vanishing', 'exploding', 'update-ratio'] },
  { id: 'batchnorm', label: 'BatchNorm', diag: ['bn-gap'] },
  { id: 'activations', label: 'Activations', diag: ['dead-relu', 'saturated'] },
  { id: 'weights', label: 'Weights & gradients', diag: [] },
  { id: 'evaluation', label: 'Evaluation', diag: [] },
];

let lastTab: DashTab = 'curves';

function RunHeader({ run, diags, onTab }: { run: RunTelemetry; diags: Diagnostic[]; onTab(t: DashTab): void }) {
  useRunVersion(run, 'steps', 'status', 'epochs');
  const s = run.summary;
  const last = run.lastStep;
  const ep = run.epochs[run.epochs.length - 1];
  const task = taskOf(run);
  return (
    <div className="dash-head" data-testid="dash-head">
      <div className="dash-run">
        <span className="dash-run-name" title={run.id}>
          {s?.name ?? graphOf(run)?.meta.name ?? run.id}
        </span>
        {s && <span className={`pill state-${s.state}`}>{s.state}</span>}
      </div>
      <div className="dash-kpis">
        <span>
          step <b className="mono" data-testid="dash-step">{last?.step ?? s?.step ?? 0}</b>
        </span>
        <span>
          loss <b className="mono">{fmt(last?.loss)}</b>
        </span>
        {ep && (
          <span>
            val loss <b className="mono">{fmt(ep.valLoss)}</b>
          </span>
        )}
        {ep && (
          <span>
            {task === 'detection' ? 'val mAP@.5' : task === 'segmentation' ? 'val pixel acc' : 'val acc'} <b className="mono">{task === 'detection' ? fmt(ep.valAcc) : pct(ep.valAcc)}</b>
          </span>
        )}
      </div>
      <span className="spacer" />
      <div className="dash-diag-chips">
        {diags.map((d) => (
          <button key={d.id} className={`diag-chip ${d.severity}`} title={d.message} data-testid={`diag-chip-${d.id}`} onClick={() => onTab(TABS.find((t) => t.diag.includes(d.id))?.id ?? 'curves')}>
            <Icon name={d.severity === 'info' ? 'info' : 'warning'} size={12} />
            {d.title}
          </button>
        ))}
      </div>
    </div>
  );
}

function DashBody({ run, tab }: { run: RunTelemetry; tab: DashTab }) {
  switch (tab) {
    case 'curves':
      return <LearningCurves run={run} />;
    case 'gradients':
      return <GradientFlow run={run} />;
    case 'batchnorm':
      return <BatchNormView run={run} />;
    case 'activations':
      return <ActivationsView run={run} />;
    case 'weights':
      return <WeightsView run={run} />;
    case 'evaluation':
      return <EvaluationView run={run} />;
  }
}

function Dashboards({ run }: { run: RunTelemetry }) {
  const [tab, setTabState] = useState<DashTab>(lastTab);
  const setTab = (t: DashTab) => {
    lastTab = t;
    setTabState(t);
  };
  const diags = useDiagnostics(run);
  useRunVersion(run, 'status', 'steps');
  const flagged = (t: (typeof TABS)[number]): Diagnostic | undefined => diags.find((d) => t.diag.includes(d.id));
  const failed = hasFailed(run);
  if (failed && !hasData(run)) {
    return (
      <>
        <RunHeader run={run} diags={diags} onTab={setTab} />
        <div className="dash-scroll" key={run.id}>
          <RunFailure run={run} full />
        </div>
      </>
    );
  }
  return (
    <>
      <RunHeader run={run} diags={diags} onTab={setTab} />
      {failed && <RunFailure run={run} full={false} />}
      <ResumeNote run={run} />
      <nav className="dash-tabs" role="tablist">
        {TABS.map((t) => {
          const f = flagged(t);
          return (
            <button key={t.id} role="tab" aria-selected={tab === t.id} className={`dash-tab ${tab === t.id ? 'on' : ''}`} data-testid={`dash-tab-${t.id}`} onClick={() => setTab(t.id)}>
              {t.label}
              {f && <span className={`tab-dot ${f.severity}`} title={f.title} />}
            </button>
          );
        })}
      </nav>
      <div className="dash-scroll" key={run.id}>
        <DashBody run={run} tab={tab} />
      </div>
    </>
  );
}

function Welcome(): ReactNode {
  return (
    <div className="dash-welcome" data-testid="dash-welcome">
      <h2>No run yet</h2>
      <p>Choose a dataset and the settings on the left, then press Start. The curves, the gradient flow, BatchNorm statistics, activations, weight histograms and the evaluation fill in live while it trains.</p>
      <p className="muted">Past runs are in the Runs workspace; open one to see its dashboards here.</p>
    </div>
  );
}

function TrainingWorkspaceView() {
  const run = useCurrentRun();
  // sweeps: an open sweep takes the dashboards' place until it is closed or one of its trials is opened
  const { lab } = useEditor();
  const sweeps = useSweeps(lab);
  const sweep = sweeps.openId ? sweeps.list?.find((s) => s.id === sweeps.openId) : undefined;
  return (
    <div className="training-ws" data-testid="training-workspace">
      <TrainPanel />
      <section className="dash" data-testid="dashboards">
        {sweep && sweeps.store ? <SweepView sweep={sweep} store={sweeps.store} /> : run ? <Dashboards run={run} /> : <Welcome />}
      </section>
    </div>
  );
}

export const TrainingWorkspace = memo(TrainingWorkspaceView);
