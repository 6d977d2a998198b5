import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo, useContext, type CSSProperties } from 'react';
import { blockByType } from '../../shared/blocks';
import { formatLrMultiplier } from '../../shared/graph/lrMultiplier';
import type { NodeDoc } from '../../shared/graph/types';
import { analysisOf } from '../core/analysis';
import { formatCount, formatFlops, shapeText } from '../core/format';
import { useEditorState } from '../app/context';
import { Icon } from '../app/Icon';
import { NodeOverlayContext } from './nodeOverlay';
import { paramSummary } from './nodeSummary';

export type BlockFlowNode = Node<NodeDoc & Record<string, unknown>, 'block'>;

/** Handles spread evenly along an edge of the node. */
const spread = (i: number, n: number): string => `${((i + 1) / (n + 1)) * 100}%`;

/** One generic node for every block: title, label, ports, output shape, params, FLOPs, error state. */
function BlockNodeView({ id, data, selected }: NodeProps<BlockFlowNode>) {
  const view = useEditorState((s) => analysisOf(s.doc));
  const overlay = useContext(NodeOverlayContext)(id, data.type);
  const def = blockByType(data.type);
  const info = view.analysis.nodes[id];
  const issues = view.issuesByNode.get(id) ?? [];
  const errors = issues.filter((i) => i.severity === 'error');
  const warnings = issues.filter((i) => i.severity === 'warning');
  const family = def?.family ?? 'unknown';
  const copies = info?.copies ?? 1;
  const cls = ['block-node', `fam-${family}`, data.frozen && 'frozen', selected && 'selected', overlay && 'has-overlay', errors.length > 0 && 'has-error', !errors.length && warnings.length > 0 && 'has-warning'].filter(Boolean).join(' ');
  const message = (errors.length ? errors : warnings).map((i) => i.message).join('\n');
  return (
    <div
      className={cls}
      data-testid={`node-${id}`}
      data-node-id={id}
      data-error={errors.length > 0 ? 'true' : undefined}
      data-overlay={overlay?.status}
      data-frozen={data.frozen ? 'true' : undefined}
      style={overlay ? ({ '--overlay': overlay.color } as CSSProperties) : undefined}
      aria-label={message ? `${def?.title ?? data.type}: ${message}` : undefined}
    >
      {(def?.inputs ?? []).map((p, i, all) => (
        <Handle key={p.name} id={p.name} type="target" position={Position.Top} style={{ left: spread(i, all.length) }} className={p.variadic ? 'handle-variadic' : undefined} data-testid={`handle-${id}-in-${p.name}`} title={p.variadic ? `${p.name} (takes several inputs)` : p.name} />
      ))}
      <div className="block-head">
        <span className="block-title">{def?.title ?? data.type}</span>
        <span className="block-label">{data.label || id}</span>
        {data.frozen && (
          <span className="block-lock" title="Frozen: training leaves this block's weights as they are" data-testid={`lock-${id}`}>
            <Icon name="lock" size={12} />
          </span>
        )}
        {copies > 1 && <span className="block-copies" title={`This block runs ${copies} times (group repeat)`}>×{copies}</span>}
        {(errors.length > 0 || warnings.length > 0) && (
          <span className={`block-issue ${errors.length ? 'err' : 'warn'}`} data-testid={`node-issue-${id}`}>
            <Icon name={errors.length ? 'error' : 'warning'} size={13} />
            <span className="issue-tip">{message}</span>
          </span>
        )}
      </div>
      <div className="block-params">{def ? paramSummary(def, data.params) || def.doc.formula || '\u00a0' : 'unknown block'}</div>
      <div className="block-foot">
        <span className={`shape-badge ${info?.output ? '' : 'none'}`} data-testid={`shape-${id}`}>{shapeText(info?.output)}</span>
        <span className="block-cost">
          {overlay && (
            <span className="overlay-badge" title={overlay.title} data-testid={`overlay-${id}`}>
              {overlay.label}
            </span>
          )}
          {data.lrMultiplier !== undefined && data.lrMultiplier !== 1 && !data.frozen && (
            <span className="block-lr" title={`Trains at the run's learning rate ${formatLrMultiplier(data.lrMultiplier)}`} data-testid={`lr-mult-${id}`}>
              {formatLrMultiplier(data.lrMultiplier)} lr
            </span>
          )}
          {info?.cost && info.cost.params > 0 && <span title="Parameters">{formatCount(info.cost.params)}</span>}
          {info && info.flops > 0 && <span title="FLOPs per sample">{formatFlops(info.flops)}</span>}
        </span>
      </div>
      {(def?.outputs ?? []).map((p, i, all) => (
        <Handle key={p} id={p} type="source" position={Position.Bottom} style={{ left: spread(i, all.length) }} data-testid={`handle-${id}-out-${p}`} title={p} />
      ))}
    </div>
  );
}

export const BlockNode = memo(BlockNodeView);
