import { register } from './types';
import { hasSelection } from './shared';

export default register('edit.deselect', {
  predicate: (s) => hasSelection(s) && s.dialog === null,
  perform: (s) => ({ ...s, selection: { nodes: [], edges: [] } }),
});
