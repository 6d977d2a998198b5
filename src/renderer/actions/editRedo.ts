import { redo } from '../core/history';
import { register } from './types';

export default register('edit.redo', {
  undoable: false,
  predicate: (s) => s.history.future.length > 0,
  perform(s) {
    const r = redo(s.history, s);
    return r ? { ...s, ...r.snapshot, history: r.history } : s;
  },
});
