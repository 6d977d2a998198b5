import { undo } from '../core/history';
import { register } from './types';

export default register('edit.undo', {
  undoable: false,
  predicate: (s) => s.history.past.length > 0,
  perform(s) {
    const r = undo(s.history, s);
    return r ? { ...s, ...r.snapshot, history: r.history } : s;
  },
});
