import type { Node, NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { analysisOf } from '../core/analysis';
import { formatCount } from '../core/format';
import { useEditorState, useRun } from '../app/context';
import { Icon } from '../app/Icon';

export type FrameFlowNode = Node<{ groupId: string }, 'frame'>;

/** The frame drawn behind an expanded group; its header drags the whole group and selects it. */
function FrameNodeView({ data }: NodeProps<FrameFlowNode>) {
  const run = useRun();
  const group = useEditorState((s) => s.doc.groups.find((g) => g.id === data.groupId));
  const view = useEditorState((s) => analysisOf(s.doc));
  const members = useEditorState((s) => s.doc.nodes);
  const selected = useEditorState((s) => s.selection.nodes);
  if (!group) return null;
  const ids = members.filter((n) => n.group === group.id).map((n) => n.id);
  const isSel = ids.length > 0 && ids.every((id) => selected.includes(id));
  const issues = view.issuesByGroup.get(group.id) ?? [];
  const totals = view.analysis.groups[group.id];
  return (
    <div className={`frame-node ${isSel ? 'selected' : ''} ${issues.length ? 'has-error' : ''}`} data-testid={`frame-${group.id}`}>
      <div className="frame-header" title={issues.map((i) => i.message).join('\n') || `${group.name}${totals ? ` · ${formatCount(totals.params)} params` : ''} — drag to move the group, click to select it`} onClick={() => run('graph.select', { nodes: ids, edges: [] })}>
        <Icon name="group" size={12} />
        <span className="frame-name">{group.name}</span>
        {group.repeat > 1 && <span className="group-repeat">×{group.repeat}</span>}
        {issues.length > 0 && <Icon name="error" size={12} className="err" />}
        <button className="node-btn nodrag" title="Collapse group" data-testid={`collapse-${group.id}`} onClick={(e) => { e.stopPropagation(); run('group.toggleCollapse', { group: group.id }); }}>
          <Icon name="collapse" size={12} />
        </button>
      </div>
    </div>
  );
}

export const FrameNode = memo(FrameNodeView);
