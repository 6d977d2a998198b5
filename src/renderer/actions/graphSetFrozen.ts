import { setFrozen } from '../../shared/graph/freeze';
import { register } from './types';

/** Freezes (or unfreezes) the given blocks, else the selection; without `frozen`, toggles: all frozen → unfreeze. */
export default register('graph.setFrozen', {
  predicate: (s, p) => (p?.nodes ?? s.selection.nodes).length > 0,
  perform: (s, p) => {
    const ids = p?.nodes ?? s.selection.nodes;
    const frozen = p?.frozen ?? !ids.every((id) => s.doc.nodes.find((n) => n.id === id)?.frozen);
    return { ...s, doc: setFrozen(s.doc, ids, frozen) };
  },
});
