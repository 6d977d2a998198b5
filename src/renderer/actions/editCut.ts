import { extractFragment, serializeFragment } from '../core/fragment';
import { removeElements } from '../core/graphOps';
import { register } from './types';
import { hasNodeSelection } from './shared';

export default register('edit.cut', {
  predicate: hasNodeSelection,
  perform(s, p, ctx) {
    const text = serializeFragment(extractFragment(s.doc, s.selection.nodes), s.doc.meta);
    p?.write?.(text);
    void ctx.clipboard.write(text);
    return { ...s, doc: removeElements(s.doc, s.selection.nodes, s.selection.edges) };
  },
});
