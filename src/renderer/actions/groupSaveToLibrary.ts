import { extractFragment } from '../core/fragment';
import { groupOfSelection, membersOf } from '../core/groups';
import { addItem } from '../core/library';
import { register } from './types';

/** Saves a group (or the selection) to the personal block library, shown in the palette under "My blocks". */
export default register('group.saveToLibrary', {
  predicate: (s, p) => !!p?.group || s.selection.nodes.length > 0,
  async perform(s, p, ctx) {
    const gid = p?.group ?? groupOfSelection(s.doc, s.selection.nodes, true);
    const g = gid ? s.doc.groups.find((x) => x.id === gid) : undefined;
    const ids = gid ? membersOf(s.doc, gid) : [...s.selection.nodes];
    const name = await ctx.prompt('Save to my blocks', 'Name in the palette', g?.name ?? 'My block', 'Save');
    if (name === null) return;
    const fragment = extractFragment(s.doc, ids);
    ctx.library.save(addItem(ctx.library.list(), name, fragment, new Date(ctx.now())));
    ctx.toast(`Saved '${name.trim() || 'Block'}' to My blocks`, 'success');
  },
});
