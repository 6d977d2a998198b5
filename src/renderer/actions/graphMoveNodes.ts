import { moveNodes } from '../core/graphOps';
import { register } from './types';

/** Commits a drag (one undo step per drag). */
export default register('graph.moveNodes', {
  perform: (s, p) => ({ ...s, doc: moveNodes(s.doc, p.positions) }),
});
