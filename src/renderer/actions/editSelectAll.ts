import { register } from './types';

export default register('edit.selectAll', {
  perform: (s) => ({ ...s, selection: { nodes: s.doc.nodes.map((n) => n.id), edges: s.doc.edges.map((e) => e.id) } }),
});
