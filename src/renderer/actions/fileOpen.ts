import { register } from './types';

export default register({
  name: 'file.open',
  label: 'Open…',
  category: 'File',
  keys: ['Mod+O'],
  keysInInputs: true,
  perform: (s) => ({ ...s, dialog: { kind: 'open' } }),
});
