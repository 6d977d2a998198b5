import { register } from './types';

export default register('view.shortcuts', {
  perform: (s) => ({ ...s, dialog: { kind: 'shortcuts' } }),
});
