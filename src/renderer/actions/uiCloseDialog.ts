import { register } from './types';

export default register('ui.closeDialog', {
  predicate: (s) => s.dialog !== null,
  perform: (s) => ({ ...s, dialog: null }),
});
