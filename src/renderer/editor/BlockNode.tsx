import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo, useContext, type CSSProperties } from 'react';
import { blockByType } from '../../shared/blocks';
import { formatLrMultiplier } from '../../shared/graph/lrMultiplier';
import type { Issue, NodeDoc } from '../../shared/graph/types';
import type { EditorState } from '../core/state';
import { analysisOf } from '../core/analysis';
import { formatCount, formatFlops, shapeText } from '../core/format';
import { useEditorState } from '../app/context';
import { Icon } from '../app/Icon';
import { NodeOverlayContext } from './nodeOverlay';
import { paramSummary } from './nodeSummary';

export type BlockFlowNode = Node<NodeDoc & Record<string, unknown>, 'block'>;

/** Handles spread evenly along an edge of the node. */
const spread = (i: number, n: number): string => `${((i + 1) / (n + 1)) * 100}%`;

/** A block's issues of one severity, one message per line ('' when none). */
const issueText = (issues: readonly Issue[] | undefined, severity: Issue['severity']): string =>
  (issues ?? [])
    .filter((i) => i.severity === severity)
    .map((i) => i.message)
    .join('\n');

/**
 * What this block shows of the graph's analysis, each a primitive: an edit elsewhere re-renders only the blocks
 * whose shape, costs or issues it changed (the analysis itself is new at every edit).
 */
function useBlockFacts(id: string) {
  const node = (s: EditorState) => analysisOf(s.doc).analysis.nodes[id];
  return {
    hasOutput: useEditorState((s) => !!node(s)?.output),
    shape: useEditorState((s) => shapeText(node(s)?.output)),
    params: useEditorState((s) => node(s)?.cost?.params ?? 0),
    flops: useEditorState((s) => node(s)?.flops ?? 0),
    copies: useEditorState((s) => node(s)?.copies ?? 1),
    errors: useEditorState((s) => issueText(analysisOf(s.doc).issuesByNode.get(id), 'error')),
    warnings: useEditorState((s) => issueText(analysisOf(s.doc).issuesByNode.get(id), 'warning')),
  };
}

/** One generic node for every block: title, label, ports, output shape, params, FLOPs, error state. */
function BlockNodeView({ id, data, selected }: NodeProps<BlockFlowNode>) {
  const { shape, hasOutput, params, flops, copies, errors, warnings } = useBlockFacts(id);
  const overlay = useContext(NodeOverlayContext)(id, data.type);
  const def = blockByType(data.type);
  const family = def?.family ?? 'unknown';
  const cls = ['block-node', `fam-${family}`, data.frozen && 'frozen', selected && 'selected', overlay && 'has-overlay', errors && 'has-error', !errors && warnings && 'has-warning'].filter(Boolean).join(' ');
  const message = errors || warnings;
  return (
    <div
      className={cls}
      data-testid={`node-${id}`}
      data-node-id={id}
      data-error={errors ? 'true' : undefined}
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
        {(errors || warnings) && (
          <span className={`block-issue ${errors ? 'err' : 'warn'}`} data-testid={`node-issue-${id}`}>
            <Icon name={errors ? 'error' : 'warning'} size={13} />
            <span className="issue-tip">{message}</span>
          </span>
        )}
      </div>
      <div className="block-params">{def ? paramSummary(def, data.params) || def.doc.formula || '\u00a0' : 'unknown block'}</div>
      <div className="block-foot">
        <span className={`shape-badge ${hasOutput ? '' : 'none'}`} data-testid={`shape-${id}`}>{shape}</span>
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
          {params > 0 && <span title="Parameters">{formatCount(params)}</span>}
          {flops > 0 && <span title="FLOPs per sample">{formatFlops(flops)}</span>}
        </span>
      </div>
      {(def?.outputs ?? []).map((p, i, all) => (
        <Handle key={p} id={p} type="source" position={Position.Bottom} style={{ left: spread(i, all.length) }} data-testid={`handle-${id}-out-${p}`} title={p} />
      ))}
    </div>
  );
}

export const BlockNode = memo(BlockNodeView);
