import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { analysisOf } from '../core/analysis';
import { formatCount, formatFlops, shapeText } from '../core/format';
import { useEditorState, useRun } from '../app/context';
import { Icon } from '../app/Icon';

export type GroupFlowNode = Node<{ groupId: string; exit?: string }, 'group'>;

/** A collapsed group: one node with its name, ×N and totals. */
function GroupNodeView({ data, selected }: NodeProps<GroupFlowNode>) {
  const run = useRun();
  const group = useEditorState((s) => s.doc.groups.find((g) => g.id === data.groupId));
  const view = useEditorState((s) => analysisOf(s.doc));
  if (!group) return null;
  const totals = view.analysis.groups[group.id];
  const issues = view.issuesByGroup.get(group.id) ?? [];
  const out = data.exit ? view.analysis.nodes[data.exit]?.output : undefined;
  return (
    <div className={`group-node ${selected ? 'selected' : ''} ${issues.length ? 'has-error' : ''}`} data-testid={`group-node-${group.id}`} title={issues.map((i) => i.message).join('\n') || undefined}>
      <Handle id="in" type="target" position={Position.Top} />
      <div className="block-head">
        <Icon name="group" size={13} />
        <span className="block-title">{group.name}</span>
        <span className="group-repeat" data-testid={`group-repeat-${group.id}`}>×{group.repeat}</span>
        <button className="node-btn nodrag" title="Expand group" onClick={() => run('group.toggleCollapse', { group: group.id })}>
          <Icon name="expand" size={12} />
        </button>
      </div>
      <div className="block-params">
        {totals ? `${formatCount(totals.params)} params · ${formatFlops(totals.flops)}` : 'group'}
      </div>
      <div className="block-foot">
        <span className="shape-badge">{shapeText(out)}</span>
      </div>
      <Handle id="out" type="source" position={Position.Bottom} />
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);
