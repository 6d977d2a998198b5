import { register } from './types';

export default register({
  name: 'ui.closeDialog',
  label: 'Close dialog',
  category: 'View',
  palette: false,
  predicate: (s) => s.dialog !== null,
  perform: (s) => ({ ...s, dialog: null }),
});
