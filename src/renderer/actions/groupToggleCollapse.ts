import { groupOfSelection, membersOf, setCollapsed } from '../core/groups';
import { register } from './types';

export default register('group.toggleCollapse', {
  predicate: (s, p) => !!(p?.group ?? groupOfSelection(s.doc, s.selection.nodes, true)),
  perform(s, p) {
    const gid = p?.group ?? groupOfSelection(s.doc, s.selection.nodes, true)!;
    const g = s.doc.groups.find((x) => x.id === gid)!;
    return { ...s, doc: setCollapsed(s.doc, gid, !g.collapsed), selection: { nodes: membersOf(s.doc, gid), edges: [] } };
  },
});
