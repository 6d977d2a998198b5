import { translateNodes } from '../core/graphOps';
import { register } from './types';

const STEP = 10;
const make = (id: 'graph.nudgeLeft' | 'graph.nudgeRight' | 'graph.nudgeUp' | 'graph.nudgeDown', dx: number, dy: number) =>
  register(id, {
    coalesce: () => 'nudge',
    predicate: (s) => s.selection.nodes.length > 0,
    perform: (s) => ({ ...s, doc: translateNodes(s.doc, s.selection.nodes, dx * STEP, dy * STEP) }),
  });

export const nudgeLeft = make('graph.nudgeLeft', -1, 0);
export const nudgeRight = make('graph.nudgeRight', 1, 0);
export const nudgeUp = make('graph.nudgeUp', 0, -1);
export const nudgeDown = make('graph.nudgeDown', 0, 1);
