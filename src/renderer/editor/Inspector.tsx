import { shortcutOf } from '../../shared/actionCatalogue';
import { blockByType } from '../../shared/blocks';
import { formatShapeWithBatch } from '../../shared/blocks/shapeMath';
import { TASKS, type GraphDoc, type Issue, type NodeDoc, type Task } from '../../shared/graph/types';
import { analysisOf } from '../core/analysis';
import { seal } from '../core/history';
import { displayShortcut } from '../core/keys';
import { isMac } from '../app/editor';
import { formatBytes, formatCount, formatFlops, shapeText } from '../core/format';
import { groupOfSelection, MAX_REPEAT } from '../core/groups';
import { useEditor, useEditorState, useRun } from '../app/context';
import { Icon } from '../app/Icon';
import { DocCard } from './DocCard';
import { DraftInput, ParamControl, parseInts, Row } from './fields';
import { FAMILY_NAMES } from './Palette';
import { plural } from '../../shared/plural';
import { freezeTotals } from '../../shared/graph/freeze';
import { formatLrMultiplier, lrMultiplierOf, parseLrMultiplier } from '../../shared/graph/lrMultiplier';

/** The right-hand panel: the selected block, group, connection, or the graph's settings. */
export function Inspector() {
  const doc = useEditorState((s) => s.doc);
  const selection = useEditorState((s) => s.selection);
  let body;
  const gid = groupOfSelection(doc, selection.nodes);
  // Keyed by what they edit: a field typed in and not yet committed (a pause in typing) gives its value to its own
  // block or group when another is selected, and does not show up in the next one's field.
  if (gid) body = <GroupInspector key={gid} doc={doc} gid={gid} />;
  else if (selection.nodes.length === 1) body = <NodeInspector key={selection.nodes[0]} doc={doc} id={selection.nodes[0]} />;
  else if (selection.nodes.length > 1) body = <MultiInspector doc={doc} ids={selection.nodes} />;
  else if (selection.edges.length === 1) body = <EdgeInspector doc={doc} id={selection.edges[0]} />;
  else body = <GraphInspector doc={doc} />;
  return (
    <aside className="inspector panel" data-testid="inspector">
      {body}
    </aside>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value mono" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

function IssueList({ issues }: { issues: Issue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="issue-list">
      {issues.map((i, k) => (
        <li key={k} className={i.severity}>
          <Icon name={i.severity === 'error' ? 'error' : 'warning'} size={13} />
          <span>{i.message}</span>
        </li>
      ))}
    </ul>
  );
}

function NodeInspector({ doc, id }: { doc: GraphDoc; id: string }) {
  const run = useRun();
  const { store } = useEditor();
  const node = doc.nodes.find((n) => n.id === id);
  const view = analysisOf(doc);
  if (!node) return null;
  const def = blockByType(node.type);
  const info = view.analysis.nodes[id];
  const issues = view.issuesByNode.get(id) ?? [];
  const paramErrors = new Map<string, string>();
  for (const i of issues) if (i.param && !paramErrors.has(i.param)) paramErrors.set(i.param, i.message.replace(/^[^:]+: /, ''));
  const other = issues.filter((i) => !i.param || !def?.params[i.param]);
  const group = node.group ? doc.groups.find((g) => g.id === node.group) : undefined;
  // Leaving a field ends its undo step: the next edit of the same field is a new step.
  const sealStep = () => store.update((s) => ({ ...s, history: seal(s.history) }));
  return (
    <div className="inspector-body" data-testid="node-inspector">
      <div className="inspector-title">
        <span className={`fam-dot fam-${def?.family ?? 'unknown'}`} />
        <span className="inspector-name">{def?.title ?? node.type}</span>
        <span className="muted">{def ? FAMILY_NAMES[def.family] : 'unknown'}</span>
      </div>
      <Row label="Name" help="Display name, also used for export names" htmlFor="node-label">
        <DraftInput<string> id="node-label" testId="node-label" value={node.label ?? ''} placeholder={node.id} format={(v) => v} parse={(t) => ({ ok: true, value: t })} onCommit={(label) => run('graph.setLabel', { node: id, label })} onBlur={sealStep} />
      </Row>
      {group && (
        <button className="link-row" onClick={() => run('graph.select', { nodes: doc.nodes.filter((n) => n.group === group.id).map((n) => n.id), edges: [] })}>
          <Icon name="group" size={12} /> In group <b>{group.name}</b>
          {group.repeat > 1 && ` ×${group.repeat}`}
        </button>
      )}
      <div className="stats">
        <Stat label="Output" value={info?.output ? formatShapeWithBatch(info.output) : '—'} testId="inspector-output" />
        <Stat label="Inputs" value={info?.inputs.length ? info.inputs.map((s) => shapeText(s)).join(', ') : '—'} />
        <Stat label="Params" value={info?.cost ? `${formatCount(info.cost.params)}${info.cost.buffers ? ` + ${formatCount(info.cost.buffers)} buffers` : ''}` : '—'} testId="inspector-params" />
        <Stat label="FLOPs" value={info ? formatFlops(info.flops) : '—'} />
        {info && info.copies > 1 && <Stat label="Copies" value={`×${info.copies}`} />}
      </div>
      <IssueList issues={other} />
      {info?.cost && (info.cost.params > 0 || (info.cost.buffers ?? 0) > 0) && (
        <Row label="Frozen" help="Training leaves a frozen block's weights as they are (fine-tuning a pretrained network)" htmlFor="node-frozen">
          <input id="node-frozen" type="checkbox" data-testid="node-frozen" checked={Boolean(node.frozen)} onChange={(e) => run('graph.setFrozen', { nodes: [id], frozen: e.target.checked })} />
        </Row>
      )}
      {/* --- learning-rate multiplier (lr-mult) --- */}
      {info?.cost && info.cost.params > 0 && !node.frozen && (
        <Row label="LR multiplier" help="This block trains at the run's learning rate × this (e.g. 0.1 for a pretrained backbone, 1 for a new head); the schedule keeps the ratio. 0 would be freezing: use Frozen" htmlFor="node-lr-mult">
          <DraftInput<number> id="node-lr-mult" testId="node-lr-mult" className="num" step={0.1} value={lrMultiplierOf(node)} format={String} parse={parseLrMultiplier} onCommit={(multiplier) => run('graph.setLrMultiplier', { nodes: [id], multiplier })} onBlur={sealStep} />
        </Row>
      )}
      <div className="button-row">
        <button className="btn" data-testid="freeze-up-to" title="Freeze this block and every block before it" onClick={() => run('graph.freezeUpTo', { node: id })}>
          <Icon name="lock" size={14} /> Freeze everything up to here
        </button>
        {info?.cost && info.cost.params > 0 && !node.frozen && (
          <button className="btn" data-testid="lr-mult-up-to" title={`Train this block and every block before it at the learning rate ${formatLrMultiplier(lrMultiplierOf(node))}`} onClick={() => run('graph.setLrMultiplier', { upTo: id, multiplier: lrMultiplierOf(node) })}>
            lr {formatLrMultiplier(lrMultiplierOf(node))} up to here
          </button>
        )}
      </div>
      {def && Object.keys(def.params).length > 0 && (
        <section className="inspector-section">
          <h3>Parameters</h3>
          {Object.entries(def.params).map(([name, spec]) => (
            <ParamControl key={name} name={name} spec={spec} value={node.params[name] ?? spec.default} params={{ ...Object.fromEntries(Object.entries(def.params).map(([k, sp]) => [k, sp.default])), ...node.params }} error={paramErrors.get(name)} onChange={(value) => run('graph.setParam', { node: id, param: name, value })} onBlur={sealStep} testPrefix="param" />
          ))}
        </section>
      )}
      {def && (
        <section className="inspector-section">
          <h3>About {def.title}</h3>
          <DocCard def={def} />
        </section>
      )}
    </div>
  );
}

/** The members' multiplier when they share one, else NaN (the field shows "mixed"). */
const commonLrMultiplier = (members: readonly NodeDoc[]): number => {
  const ms = new Set(members.map(lrMultiplierOf));
  return ms.size === 1 ? [...ms][0] : NaN;
};

function GroupInspector({ doc, gid }: { doc: GraphDoc; gid: string }) {
  const run = useRun();
  const g = doc.groups.find((x) => x.id === gid)!;
  const view = analysisOf(doc);
  const totals = view.analysis.groups[gid];
  const members = doc.nodes.filter((n) => n.group === gid);
  return (
    <div className="inspector-body" data-testid="group-inspector">
      <div className="inspector-title">
        <Icon name="group" size={14} />
        <span className="inspector-name">{g.name}</span>
        <span className="muted">group · {plural(members.length, 'block')}</span>
      </div>
      <Row label="Name" htmlFor="group-name">
        <DraftInput<string> id="group-name" testId="group-name" value={g.name} format={(v) => v} parse={(t) => (t.trim() ? { ok: true, value: t } : { ok: false, error: 'name the group' })} onCommit={(name) => run('group.rename', { group: gid, name })} />
      </Row>
      <Row label="Repeat ×N" help={`Chain the group N times (1–${MAX_REPEAT}); its output shape must equal its input shape`} htmlFor="group-repeat">
        <DraftInput<number>
          id="group-repeat"
          testId="group-repeat"
          className="num"
          step={1}
          value={g.repeat}
          format={String}
          parse={(t) => {
            const n = Number(t);
            return Number.isInteger(n) && n >= 1 && n <= MAX_REPEAT ? { ok: true, value: n } : { ok: false, error: `a whole number from 1 to ${MAX_REPEAT}` };
          }}
          onCommit={(repeat) => run('group.setRepeat', { group: gid, repeat })}
        />
      </Row>
      <div className="stats">
        <Stat label="Params" value={totals ? formatCount(totals.params) : '—'} testId="group-params" />
        <Stat label="FLOPs" value={totals ? formatFlops(totals.flops) : '—'} />
        <Stat label="Activations" value={totals ? formatBytes(totals.activations * 4) : '—'} />
      </div>
      <IssueList issues={view.issuesByGroup.get(gid) ?? []} />
      {totals && totals.params > 0 && (
        <Row label="LR multiplier" help="Every block of the group trains at the run's learning rate × this (1 = the run's rate)" htmlFor="group-lr-mult">
          <DraftInput<number> id="group-lr-mult" testId="group-lr-mult" className="num" step={0.1} value={commonLrMultiplier(members.filter((n) => (view.analysis.nodes[n.id]?.cost?.params ?? 0) > 0))} format={(m) => (Number.isNaN(m) ? '' : String(m))} placeholder="mixed" parse={parseLrMultiplier} onCommit={(multiplier) => run('graph.setLrMultiplier', { nodes: members.map((n) => n.id), multiplier })} />
        </Row>
      )}
      <div className="button-row">
        <button className="btn" data-testid="group-collapse" onClick={() => run('group.toggleCollapse', { group: gid })}>
          <Icon name={g.collapsed ? 'expand' : 'collapse'} size={14} /> {g.collapsed ? 'Expand' : 'Collapse'}
        </button>
        <button className="btn" data-testid="group-ungroup" onClick={() => run('group.ungroup', { group: gid })}>
          <Icon name="ungroup" size={14} /> Ungroup
        </button>
        <button className="btn" data-testid="group-freeze" onClick={() => run('graph.setFrozen', { nodes: members.map((n) => n.id), frozen: !members.every((n) => n.frozen) })}>
          <Icon name="lock" size={14} /> {members.every((n) => n.frozen) ? 'Unfreeze group' : 'Freeze group'}
        </button>
        <button className="btn" data-testid="group-save" onClick={() => run('group.saveToLibrary', { group: gid })}>
          <Icon name="library" size={14} /> Save to my blocks
        </button>
      </div>
    </div>
  );
}

function MultiInspector({ doc, ids }: { doc: GraphDoc; ids: readonly string[] }) {
  const run = useRun();
  const view = analysisOf(doc);
  let params = 0;
  let flops = 0;
  for (const id of ids) {
    const i = view.analysis.nodes[id];
    if (i?.cost) {
      params += i.cost.params * i.copies;
      flops += i.flops * i.copies;
    }
  }
  const loose = groupOfSelection(doc, ids, true);
  return (
    <div className="inspector-body" data-testid="multi-inspector">
      <div className="inspector-title">
        <span className="inspector-name">{plural(ids.length, 'block')} selected</span>
      </div>
      <div className="stats">
        <Stat label="Params" value={formatCount(params)} />
        <Stat label="FLOPs" value={formatFlops(flops)} />
      </div>
      <div className="button-row">
        {!loose && (
          <button className="btn primary" data-testid="group-create" onClick={() => run('group.create')}>
            <Icon name="group" size={14} /> Group…
          </button>
        )}
        <button className="btn" onClick={() => run('edit.duplicate')}>
          <Icon name="copy" size={14} /> Duplicate
        </button>
        <button className="btn" onClick={() => run('edit.delete')}>
          <Icon name="trash" size={14} /> Delete
        </button>
      </div>
    </div>
  );
}

function EdgeInspector({ doc, id }: { doc: GraphDoc; id: string }) {
  const run = useRun();
  const e = doc.edges.find((x) => x.id === id);
  const view = analysisOf(doc);
  if (!e) return null;
  const name = (nid: string) => doc.nodes.find((n) => n.id === nid)?.label || nid;
  return (
    <div className="inspector-body" data-testid="edge-inspector">
      <div className="inspector-title">
        <span className="inspector-name">Connection</span>
      </div>
      <div className="stats">
        <Stat label="From" value={`${name(e.source)}.${e.sourcePort}`} />
        <Stat label="To" value={`${name(e.target)}.${e.targetPort}`} />
        <Stat label="Tensor" value={view.analysis.edges[id] ? formatShapeWithBatch(view.analysis.edges[id]!) : '—'} />
      </div>
      <div className="button-row">
        <button className="btn" onClick={() => run('edit.delete')}>
          <Icon name="trash" size={14} /> Delete connection
        </button>
      </div>
    </div>
  );
}

function GraphInspector({ doc }: { doc: GraphDoc }) {
  const run = useRun();
  const view = analysisOf(doc);
  const t = view.analysis.totals;
  const frozen = freezeTotals(doc, view.analysis);
  const m = doc.meta;
  return (
    <div className="inspector-body" data-testid="graph-inspector">
      <div className="inspector-title">
        <span className="inspector-name">Graph</span>
        <span className="muted">{plural(doc.nodes.length, 'block')} · {plural(doc.edges.length, 'connection')}</span>
      </div>
      <Row label="Name" htmlFor="graph-name">
        <DraftInput<string> id="graph-name" testId="graph-name" value={m.name} format={(v) => v} parse={(t) => (t.trim() ? { ok: true, value: t } : { ok: false, error: 'name the graph' })} onCommit={(name) => run('graph.setMeta', { name })} />
      </Row>
      <Row label="Task" htmlFor="graph-task">
        <select id="graph-task" data-testid="graph-task" className="input" value={m.task} onChange={(e) => run('graph.setMeta', { task: e.target.value as Task })}>
          {TASKS.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </Row>
      <Row label="Input H×W×C" help="The per-sample input shape fed to the Input block" htmlFor="graph-input">
        <DraftInput<number[]>
          id="graph-input"
          testId="graph-input"
          value={m.input.shape}
          format={(v) => v.join(' × ')}
          parse={(t) => {
            const r = parseInts(t);
            if (!r.ok) return r;
            if (r.value.length < 1 || r.value.length > 4 || r.value.some((n) => n < 1)) return { ok: false, error: '1 to 4 dimensions, each ≥ 1 (e.g. 32 × 32 × 3)' };
            return r;
          }}
          onCommit={(shape) => run('graph.setMeta', { input: { shape } })}
        />
      </Row>
      <Row label="Description" htmlFor="graph-desc">
        <DraftInput<string> id="graph-desc" testId="graph-desc" value={m.description ?? ''} placeholder="Optional" format={(v) => v} parse={(t) => ({ ok: true, value: t })} onCommit={(description) => run('graph.setMeta', { description })} />
      </Row>
      <Row label="Weights" help="Pretrained weights the next run starts from, matched by block name and shape" htmlFor="graph-weights">
        <span className="weights-source" data-testid="graph-weights">
          {m.weights ? m.weights.label : 'fresh (random initialisation)'}
        </span>
        {m.weights ? (
          <button className="btn small" data-testid="graph-weights-remove" onClick={() => run('graph.setMeta', { weights: undefined })}>
            Remove
          </button>
        ) : (
          <button className="btn small" data-testid="graph-weights-load" onClick={() => run('file.loadWeights')}>
            Load weights…
          </button>
        )}
      </Row>
      <div className="stats">
        <Stat label="Params" value={`${formatCount(t.params)}${t.buffers ? ` + ${formatCount(t.buffers)} buffers` : ''}`} />
        {frozen.frozen > 0 && <Stat label="Trainable" value={formatCount(frozen.trainable)} testId="graph-trainable" />}
        {frozen.frozen > 0 && <Stat label="Frozen" value={`${formatCount(frozen.frozen)} (${plural(frozen.frozenBlocks, 'block')})`} testId="graph-frozen" />}
        <Stat label="FLOPs" value={formatFlops(t.flops)} />
        <Stat label="Other ops" value={formatCount(t.ops)} />
        <Stat label="Activations" value={`${formatCount(t.activations)} / sample`} />
      </div>
      <p className="hint">Select a block to edit it. Drag blocks from the palette, or press <kbd>{displayShortcut(shortcutOf('view.commandPalette')!, isMac)}</kbd> for every command.</p>
    </div>
  );
}
