import { translateNodes } from '../core/graphOps';
import { register } from './types';

const STEP = 10;
const make = (name: string, label: string, key: string, dx: number, dy: number) =>
  register({
    name,
    label,
    category: 'Graph',
    keys: [key, `Shift+${key}`],
    palette: false,
    coalesce: () => 'nudge',
    predicate: (s) => s.selection.nodes.length > 0,
    perform: (s) => ({ ...s, doc: translateNodes(s.doc, s.selection.nodes, dx * STEP, dy * STEP) }),
  });

export const nudgeLeft = make('graph.nudgeLeft', 'Move left', 'ArrowLeft', -1, 0);
export const nudgeRight = make('graph.nudgeRight', 'Move right', 'ArrowRight', 1, 0);
export const nudgeUp = make('graph.nudgeUp', 'Move up', 'ArrowUp', 0, -1);
export const nudgeDown = make('graph.nudgeDown', 'Move down', 'ArrowDown', 0, 1);
