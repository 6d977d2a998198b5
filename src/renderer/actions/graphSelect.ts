import { setSelection, type Selection } from '../core/state';
import { register } from './types';

export default register<Partial<Selection>>('graph.select', {
  perform: (s, p) => setSelection(s, p),
});
