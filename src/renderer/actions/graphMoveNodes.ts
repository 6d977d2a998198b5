import type { Position } from '../../shared/graph/types';
import { moveNodes } from '../core/graphOps';
import { register } from './types';

/** Commits a drag (one undo step per drag). */
export default register<{ positions: Record<string, Position> }>('graph.moveNodes', {
  perform: (s, p) => ({ ...s, doc: moveNodes(s.doc, p.positions) }),
});
