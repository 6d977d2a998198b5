import { setFrozen } from '../../shared/graph/freeze';
import { register } from './types';

export default register('graph.unfreezeAll', {
  predicate: (s) => s.doc.nodes.some((n) => n.frozen),
  perform: (s) => ({ ...s, doc: setFrozen(s.doc, s.doc.nodes.map((n) => n.id), false) }),
});
