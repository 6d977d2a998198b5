import { updateGroup } from '../core/groups';
import { register } from './types';

export default register('group.rename', {
  coalesce: (p) => `group-name:${p.group}`,
  perform: (s, p) => ({ ...s, doc: updateGroup(s.doc, p.group, { name: p.name }) }),
});
