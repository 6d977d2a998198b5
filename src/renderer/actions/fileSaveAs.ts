import { register } from './types';

export default register({
  name: 'file.saveAs',
  label: 'Save as…',
  category: 'File',
  keys: ['Mod+Shift+S'],
  keysInInputs: true,
  perform: (s) => ({ ...s, dialog: { kind: 'saveAs' } }),
});
