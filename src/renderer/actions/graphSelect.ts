import { setSelection, type Selection } from '../core/state';
import { register } from './types';

export default register<Partial<Selection>>({
  name: 'graph.select',
  label: 'Select',
  category: 'Edit',
  palette: false,
  perform: (s, p) => setSelection(s, p),
});
