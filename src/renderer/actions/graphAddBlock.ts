import { blockByType } from '../../shared/blocks';
import { addNode, insertAfter } from '../core/graphOps';
import { register } from './types';

/**
 * Adds a block: at `position` (dropped from the palette), or after the selected block (spliced into its
 * chain), or in the middle of the view.
 */
export default register('graph.addBlock', {
  predicate: (_s, p) => !!p && !!blockByType(p.type),
  perform(s, p, ctx) {
    let r;
    if (p.position) r = addNode(s.doc, p.type, p.position);
    else {
      const after = s.selection.nodes.length === 1 ? s.selection.nodes[0] : undefined;
      const c = ctx.view.center();
      r = insertAfter(s.doc, p.type, after, { x: c.x - 100, y: c.y - 30 });
    }
    if (!p.position) queueMicrotask(() => ctx.view.focus([r.id]));
    return { ...s, doc: r.doc, selection: { nodes: [r.id], edges: [] } };
  },
});
