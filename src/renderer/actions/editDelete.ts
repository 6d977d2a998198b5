import { removeElements } from '../core/graphOps';
import { register } from './types';
import { hasSelection } from './shared';

export default register({
  name: 'edit.delete',
  label: 'Delete',
  category: 'Edit',
  keys: ['Delete', 'Backspace'],
  predicate: hasSelection,
  perform: (s) => ({ ...s, doc: removeElements(s.doc, s.selection.nodes, s.selection.edges), selection: { nodes: [], edges: [] } }),
});
