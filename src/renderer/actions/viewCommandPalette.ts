import { register } from './types';

export default register({
  name: 'view.commandPalette',
  label: 'Command palette',
  category: 'View',
  keys: ['Mod+K', 'Mod+Shift+P'],
  keysInInputs: true,
  palette: false,
  perform: (s) => ({ ...s, dialog: s.dialog?.kind === 'palette' ? null : { kind: 'palette' } }),
});
