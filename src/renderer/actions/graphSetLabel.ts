import { setLabel } from '../core/graphOps';
import { register } from './types';

export default register('graph.setLabel', {
  coalesce: (p) => `label:${p.node}`,
  perform: (s, p) => ({ ...s, doc: setLabel(s.doc, p.node, p.label) }),
});
