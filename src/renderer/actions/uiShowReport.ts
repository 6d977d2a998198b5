import type { RestoreReport } from '../core/state';
import { register } from './types';

export default register<{ report: RestoreReport }>('ui.showReport', {
  undoable: false,
  perform: (s, p) => ({ ...s, dialog: { kind: 'report', report: p.report } }),
});
