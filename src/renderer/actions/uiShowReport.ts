import type { RestoreReport } from '../core/state';
import { register } from './types';

export default register<{ report: RestoreReport }>({
  name: 'ui.showReport',
  label: 'Show load report',
  category: 'View',
  palette: false,
  undoable: false,
  perform: (s, p) => ({ ...s, dialog: { kind: 'report', report: p.report } }),
});
