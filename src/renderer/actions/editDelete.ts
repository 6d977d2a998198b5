import { removeElements } from '../core/graphOps';
import { register } from './types';
import { hasSelection } from './shared';

export default register('edit.delete', {
  predicate: hasSelection,
  perform: (s) => ({ ...s, doc: removeElements(s.doc, s.selection.nodes, s.selection.edges), selection: { nodes: [], edges: [] } }),
});
