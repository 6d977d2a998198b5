import { register } from './types';

export default register({
  name: 'edit.selectAll',
  label: 'Select all',
  category: 'Edit',
  keys: ['Mod+A'],
  perform: (s) => ({ ...s, selection: { nodes: s.doc.nodes.map((n) => n.id), edges: s.doc.edges.map((e) => e.id) } }),
});
