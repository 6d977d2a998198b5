import { setSelection } from '../core/state';
import { register } from './types';

/** Selects blocks and centres the view on them (problems panel, search). */
export default register('graph.focus', {
  perform(s, p, ctx) {
    const next = setSelection(s, { nodes: p.nodes, edges: [] });
    queueMicrotask(() => ctx.view.focus(p.nodes));
    return next;
  },
});
