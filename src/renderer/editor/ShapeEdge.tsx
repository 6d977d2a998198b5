import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStore, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { analysisOf } from '../core/analysis';
import { shapeText } from '../core/format';
import { useEditorState } from '../app/context';

export type ShapeFlowEdge = Edge<{ edgeId: string }, 'shape'>;

const zoomedOut = (s: { transform: [number, number, number] }): boolean => s.transform[2] < 0.45;

/** An edge labelled with the tensor shape it carries; red when it feeds or belongs to an error. */
function ShapeEdgeView({ id, data, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, markerEnd }: EdgeProps<ShapeFlowEdge>) {
  const edgeId = data?.edgeId ?? id;
  // Primitives: an edit re-renders only the edges whose shape or error state it changed.
  const shape = useEditorState((s) => shapeText(analysisOf(s.doc).analysis.edges[edgeId]));
  const error = useEditorState((s) => analysisOf(s.doc).errorEdges.has(edgeId));
  const hideLabel = useStore(zoomedOut);
  const [path, lx, ly] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`shape-edge ${error ? 'error' : ''} ${selected ? 'selected' : ''}`} interactionWidth={14} />
      {!hideLabel && (
        <EdgeLabelRenderer>
          <div className={`edge-label nodrag nopan ${error ? 'error' : ''} ${selected ? 'selected' : ''}`} style={{ transform: `translate(-50%, -50%) translate(${lx}px, ${ly}px)` }} data-testid={`edge-label-${edgeId}`}>
            {shape}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
