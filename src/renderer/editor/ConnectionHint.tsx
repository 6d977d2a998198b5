import { useConnection, useStore } from '@xyflow/react';
import { useMemo } from 'react';
import { previewConnection, resolveViewConnection } from '../core/connect';
import { useEditorState } from '../app/context';

/** While dragging a connection over a port: the shape it would carry, and whether the block accepts it. */
export function ConnectionHint() {
  const conn = useConnection();
  const doc = useEditorState((s) => s.doc);
  const [tx, ty, zoom] = useStore((s) => s.transform);
  const hint = useMemo(() => {
    if (!conn.inProgress || !conn.toHandle) return null;
    const from = conn.fromHandle;
    const to = conn.toHandle;
    const [src, dst] = from.type === 'source' ? [from, to] : [to, from];
    const r = resolveViewConnection(doc, { source: src.nodeId, sourceHandle: src.id, target: dst.nodeId, targetHandle: dst.id });
    if (!r.ok) return { ok: false, message: r.reason };
    return previewConnection(doc, r.connection);
  }, [conn, doc]);
  if (!conn.inProgress || !hint || !conn.to) return null;
  // `to` is in flow coordinates; the hint is drawn in screen space so it stays readable at any zoom.
  const x = conn.to.x * zoom + tx;
  const y = conn.to.y * zoom + ty;
  return (
    <div className="connect-hint-layer">
      <div
        className={`connect-hint ${!hint.ok ? 'refused' : hint.warning ? 'warning' : 'ok'}`}
        data-testid="connect-hint"
        style={{ transform: `translate(${x + 14}px, ${y + 14}px)` }}
      >
        {hint.ok && hint.shape && <span className="mono">{hint.shape}</span>}
        {hint.ok && hint.result && !hint.warning && <span className="mono"> → {hint.result}</span>}
        {hint.message && <div className="hint-msg">{hint.message}</div>}
      </div>
    </div>
  );
}
