import { setRepeat } from '../core/groups';
import { register } from './types';

/** Chains a group ×N (identity blocks: equal input and output shapes). */
export default register<{ group: string; repeat: number }>({
  name: 'group.setRepeat',
  label: 'Repeat group',
  category: 'Group',
  palette: false,
  coalesce: (p) => `repeat:${p.group}`,
  perform: (s, p) => ({ ...s, doc: setRepeat(s.doc, p.group, p.repeat) }),
});
