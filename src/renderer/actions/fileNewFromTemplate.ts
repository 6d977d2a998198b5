import { register } from './types';

export default register({
  name: 'file.newFromTemplate',
  label: 'New from template…',
  category: 'File',
  keys: ['Mod+Shift+N'],
  keysInInputs: true,
  perform: (s) => ({ ...s, dialog: { kind: 'templates' } }),
});
