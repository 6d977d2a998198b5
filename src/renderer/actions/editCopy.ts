import { extractFragment, serializeFragment } from '../core/fragment';
import { register } from './types';
import { hasNodeSelection } from './shared';

/** Copies the selected blocks as JSON (a fragment with their internal edges and whole groups). */
export default register('edit.copy', {
  predicate: hasNodeSelection,
  perform(s, p, ctx) {
    const text = serializeFragment(extractFragment(s.doc, s.selection.nodes), s.doc.meta);
    p?.write?.(text);
    void ctx.clipboard.write(text);
  },
});
