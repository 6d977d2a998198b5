import { createGroup } from '../core/groups';
import { register } from './types';

export default register('group.createNamed', {
  perform(s, p) {
    const r = createGroup(s.doc, p.nodes, p.name);
    if (!r.ok) throw new Error(r.error);
    return { ...s, doc: r.doc, selection: { nodes: p.nodes, edges: [] } };
  },
});
