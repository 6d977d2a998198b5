import { setMeta } from '../core/graphOps';
import { register } from './types';

/** Graph settings: name, task, input shape, description. */
export default register('graph.setMeta', {
  coalesce: (p) => `meta:${Object.keys(p).sort().join(',')}`,
  perform: (s, p) => ({ ...s, doc: setMeta(s.doc, p) }),
});
