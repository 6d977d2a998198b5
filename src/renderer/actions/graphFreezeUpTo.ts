import { freezeUpTo } from '../../shared/graph/freeze';
import { register } from './types';

/** Freezes the block (given, else the one selected) and every block before it: fine-tune only what follows. */
export default register('graph.freezeUpTo', {
  predicate: (s, p) => Boolean(p?.node) || s.selection.nodes.length === 1,
  perform: (s, p) => {
    const id = p?.node ?? s.selection.nodes[0];
    return { ...s, doc: freezeUpTo(s.doc, id) };
  },
});
