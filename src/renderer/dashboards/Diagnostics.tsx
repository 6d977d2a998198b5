import { memo, useMemo, useState } from 'react';
import { diagnose, type Diagnostic } from '../../shared/training/diagnostics';
import { Icon } from '../app/Icon';
import { useRunVersion } from '../telemetry/react';
import type { RunTelemetry } from '../telemetry/run';
import { useDashLinks } from './links';
import { chanceLoss, graphOf, hasBatchNorm, hasResidual, nodeLabels } from './runInfo';
import { trainConfigOf } from '../../shared/runs/runConfig';

/** The root of the summed squares of the layers' gradient norms (NaN entries: not reported). */
function overallGradNorm(norms: Float32Array): number {
  let s = 0;
  for (const n of norms) if (!Number.isNaN(n)) s += n * n;
  return Math.sqrt(s);
}

/** Every verdict for the run, computed from its telemetry (see shared/training/diagnostics). */
export function useDiagnostics(run: RunTelemetry): Diagnostic[] {
  const v = useRunVersion(run, 'probes', 'epochs', 'status', 'steps');
  return useMemo(() => {
    const cfg = trainConfigOf(run.meta.config);
    const g = graphOf(run);
    return diagnose({
      probes: run.recentProbes.toArray().map((p) => p.layers),
      probeStep: run.latestProbe?.step,
      epochs: run.epochs.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, valLoss: e.valLoss })),
      chanceLoss: chanceLoss(run),
      losses: run.steps.rows().map((r) => r.loss),
      gradNorms: run.probes.list().map((f) => overallGradNorm(f.gradNorm)),
      context: { hasResidual: hasResidual(g), hasBatchNorm: hasBatchNorm(g), init: cfg?.init, clip: cfg?.clip.mode, lr: cfg?.optimizer.lr },
    });
  }, [run, v]);
}

export function NodeChips({ nodes, labels, max = 6 }: { nodes: readonly string[]; labels: Map<string, string>; max?: number }) {
  const links = useDashLinks();
  const [all, setAll] = useState(false);
  const shown = all ? nodes : nodes.slice(0, max);
  return (
    <span className="node-chips">
      {shown.map((n) => (
        <button key={n} className="node-chip" title="Show this block in the editor" data-testid={`node-link-${n}`} onClick={() => links.focusNodes([n])}>
          {links.nodeLabel?.(n) ?? labels.get(n) ?? n}
        </button>
      ))}
      {nodes.length > shown.length && (
        <button className="node-chip more" onClick={() => setAll(true)}>
          +{nodes.length - shown.length}
        </button>
      )}
      {nodes.length > 1 && (
        <button className="node-chip all" title="Select all of them in the editor" onClick={() => links.focusNodes(nodes)}>
          show all
        </button>
      )}
    </span>
  );
}

function DiagnosticCard({ d, labels }: { d: Diagnostic; labels: Map<string, string> }) {
  const [open, setOpen] = useState(d.severity !== 'info');
  return (
    <div className={`diag ${d.severity}`} data-testid={`diag-${d.id}`} data-severity={d.severity}>
      <button className="diag-head" onClick={() => setOpen(!open)} aria-expanded={open}>
        <Icon name={d.severity === 'info' ? 'info' : d.severity === 'error' ? 'error' : 'warning'} size={14} />
        <b>{d.title}</b>
        <span className="diag-msg">{d.message}</span>
        <Icon name={open ? 'chevronDown' : 'chevronRight'} size={12} />
      </button>
      {open && (
        <div className="diag-body">
          {d.nodes.length > 0 && (
            <div className="diag-row">
              <span className="diag-label">Where</span>
              <NodeChips nodes={d.nodes} labels={labels} />
            </div>
          )}
          {d.fixes.length > 0 && (
            <div className="diag-row">
              <span className="diag-label">Fixes</span>
              <ul className="diag-fixes">
                {d.fixes.map((f) => (
                  <li key={f.id} data-testid={`fix-${f.id}`}>
                    <b>{f.title}</b> <span className="muted">{f.why}</span> {f.nodes.length > 0 && <NodeChips nodes={f.nodes} labels={labels} max={4} />}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

/** `emptyText` is shown when nothing applies, once there is data to judge (a probe for `needs: 'probe'`). */
function DiagnosticsListView({ run, only, emptyText, needs }: { run: RunTelemetry; only?: readonly Diagnostic['id'][]; emptyText?: string; needs?: 'probe' | 'epoch' }) {
  const all = useDiagnostics(run);
  const labels = useMemo(() => nodeLabels(run), [run]);
  const list = only ? all.filter((d) => only.includes(d.id)) : all;
  const judged = needs === 'probe' ? !!run.latestProbe : needs === 'epoch' ? run.epochs.length > 0 : true;
  if (list.length === 0)
    return emptyText && judged ? (
      <div className="diag ok" data-testid="diag-none">
        <Icon name="check" size={14} /> {emptyText}
      </div>
    ) : null;
  return (
    <div className="diag-list" data-testid="diagnostics">
      {list.map((d) => (
        <DiagnosticCard key={d.id} d={d} labels={labels} />
      ))}
    </div>
  );
}

export const DiagnosticsList = memo(DiagnosticsListView);
