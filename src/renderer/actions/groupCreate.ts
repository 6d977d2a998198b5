import { createGroup } from '../core/groups';
import { register } from './types';

/** Asks for a name, then groups the selected blocks. */
export default register('group.create', {
  predicate: (s) => s.selection.nodes.length > 0,
  async perform(s, _p, ctx) {
    const nodes = [...s.selection.nodes];
    const name = await ctx.prompt('Group blocks', `Name the group of ${nodes.length} block${nodes.length > 1 ? 's' : ''}`, 'Block', 'Group');
    if (name === null) return;
    ctx.edit((st) => {
      const r = createGroup(st.doc, nodes, name);
      if (!r.ok) throw new Error(r.error);
      return { ...st, doc: r.doc, selection: { nodes, edges: [] } };
    });
  },
});
