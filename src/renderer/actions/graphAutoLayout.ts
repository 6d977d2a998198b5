import { moveNodes } from '../core/graphOps';
import { autoLayout } from '../core/view';
import { register } from './types';

export default register('graph.autoLayout', {
  predicate: (s) => s.doc.nodes.length > 0,
  perform(s, _p, ctx) {
    const doc = moveNodes(s.doc, autoLayout(s.doc, ctx.view.sizes()));
    setTimeout(() => ctx.view.fitView(), 30);
    return { ...s, doc };
  },
});
