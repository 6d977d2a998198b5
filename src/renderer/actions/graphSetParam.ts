import { setParam } from '../core/graphOps';
import { register } from './types';

/** One parameter of one block (the inspector). Typing in one field is one undo step. */
export default register('graph.setParam', {
  coalesce: (p) => `param:${p.node}:${p.param}`,
  perform: (s, p) => ({ ...s, doc: setParam(s.doc, p.node, p.param, p.value) }),
});
