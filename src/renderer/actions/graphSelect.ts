import { setSelection } from '../core/state';
import { register } from './types';

export default register('graph.select', {
  perform: (s, p) => setSelection(s, p),
});
