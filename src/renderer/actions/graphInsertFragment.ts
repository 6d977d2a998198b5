import { LAYOUT } from '../../shared/graph/layout';
import { insertFragment } from '../core/fragment';
import { register } from './types';
import { nodeById, selectedOutput } from './shared';

/** Inserts a composite or a library block: after the selected block (fed by it) or at a position. */
export default register('graph.insertFragment', {
  perform(s, p, ctx) {
    const from = p.position ? undefined : selectedOutput(s);
    let at = p.position;
    if (!at) {
      const after = from && nodeById(s.doc, from.node);
      if (after) at = { x: after.position.x, y: after.position.y + LAYOUT.rowGap };
      else {
        const c = ctx.view.center();
        at = { x: c.x - 100, y: c.y - 60 };
      }
    }
    const r = insertFragment(s.doc, p.fragment, { at, from });
    if (!p.position) queueMicrotask(() => ctx.view.focus(r.ids));
    return { ...s, doc: r.doc, selection: { nodes: r.ids, edges: [] } };
  },
});
