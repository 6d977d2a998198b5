import { register } from './types';
import { hasSelection } from './shared';

export default register({
  name: 'edit.deselect',
  label: 'Clear selection',
  category: 'Edit',
  keys: ['Escape'],
  predicate: (s) => hasSelection(s) && s.dialog === null,
  perform: (s) => ({ ...s, selection: { nodes: [], edges: [] } }),
});
