import { register } from './types';

export default register('view.commandPalette', {
  perform: (s) => ({ ...s, dialog: s.dialog?.kind === 'palette' ? null : { kind: 'palette' } }),
});
