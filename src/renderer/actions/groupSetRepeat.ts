import { setRepeat } from '../core/groups';
import { register } from './types';

/** Chains a group ×N (identity blocks: equal input and output shapes). */
export default register('group.setRepeat', {
  coalesce: (p) => `repeat:${p.group}`,
  perform: (s, p) => ({ ...s, doc: setRepeat(s.doc, p.group, p.repeat) }),
});
