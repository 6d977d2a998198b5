import { register } from './types';

export default register('file.newFromTemplate', {
  perform: (s) => ({ ...s, dialog: { kind: 'templates' } }),
});
