import { groupOfSelection, ungroup } from '../core/groups';
import { register } from './types';

export default register('group.ungroup', {
  predicate: (s, p) => !!(p?.group ?? groupOfSelection(s.doc, s.selection.nodes, true)),
  perform(s, p) {
    const gid = p?.group ?? groupOfSelection(s.doc, s.selection.nodes, true)!;
    return { ...s, doc: ungroup(s.doc, gid) };
  },
});
