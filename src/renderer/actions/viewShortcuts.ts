import { register } from './types';

export default register({
  name: 'view.shortcuts',
  label: 'Keyboard shortcuts',
  category: 'Help',
  keys: ['F1'],
  keysInInputs: true,
  perform: (s) => ({ ...s, dialog: { kind: 'shortcuts' } }),
});
