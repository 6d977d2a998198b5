import { nodeName } from '../../shared/graph/analyze';
import type { Issue } from '../../shared/graph/types';
import { analysisOf } from '../core/analysis';
import { useEditorState, useRun } from '../app/context';
import { Icon } from '../app/Icon';

/** Every analysis issue; clicking one selects its block (or group) and centres it. */
export function ProblemsPanel() {
  const run = useRun();
  const doc = useEditorState((s) => s.doc);
  const view = analysisOf(doc);
  const issues = [...view.analysis.issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const where = (i: Issue): { text: string; nodes: string[] } => {
    if (i.nodeId) {
      const n = doc.nodes.find((x) => x.id === i.nodeId);
      return { text: n ? nodeName(n) : i.nodeId, nodes: n ? [n.id] : [] };
    }
    if (i.groupId) {
      const g = doc.groups.find((x) => x.id === i.groupId);
      return { text: g ? `group ${g.name}` : i.groupId, nodes: doc.nodes.filter((n) => n.group === i.groupId).map((n) => n.id) };
    }
    if (i.edgeId) {
      const e = doc.edges.find((x) => x.id === i.edgeId);
      return { text: e ? `${e.source} → ${e.target}` : i.edgeId, nodes: e ? [e.source, e.target].filter((id) => doc.nodes.some((n) => n.id === id)) : [] };
    }
    return { text: 'graph', nodes: [] };
  };
  return (
    <section className="problems panel" data-testid="problems">
      <div className="panel-header">
        <span>Problems</span>
        <span className="count err">
          <Icon name="error" size={12} /> {view.errors}
        </span>
        <span className="count warn">
          <Icon name="warning" size={12} /> {view.warnings}
        </span>
        <span className="spacer" />
        <button className="icon-btn" title="Hide problems" onClick={() => run('view.problems')}>
          <Icon name="close" size={14} />
        </button>
      </div>
      <div className="problems-list">
        {issues.length === 0 && (
          <div className="problems-empty">
            <Icon name="check" size={14} /> No problems: every shape checks out.
          </div>
        )}
        {issues.map((i, k) => {
          const w = where(i);
          return (
            <button key={k} className={`problem ${i.severity}`} data-testid="problem" data-node-id={i.nodeId ?? ''} onClick={() => w.nodes.length && run('graph.focus', { nodes: w.nodes })} disabled={w.nodes.length === 0}>
              <Icon name={i.severity === 'error' ? 'error' : 'warning'} size={13} />
              <span className="problem-msg" title={i.message}>{i.message}</span>
              <span className="problem-where mono">{w.text}</span>
            </button>
          );
        })}
      </div>
    </section>
  );
}
