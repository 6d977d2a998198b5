import { extractFragment, insertFragment } from '../core/fragment';
import { register } from './types';
import { hasNodeSelection } from './shared';

export default register('edit.duplicate', {
  predicate: hasNodeSelection,
  perform(s) {
    const r = insertFragment(s.doc, extractFragment(s.doc, s.selection.nodes), { offset: { x: 40, y: 40 } });
    return { ...s, doc: r.doc, selection: { nodes: r.ids, edges: [] } };
  },
});
