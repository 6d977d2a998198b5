import { register } from './types';

export default register({
  name: 'view.minimap',
  label: 'Show minimap',
  category: 'View',
  keys: ['Mod+Shift+K'],
  checked: (s) => s.prefs.minimap,
  perform: (s) => ({ ...s, prefs: { ...s.prefs, minimap: !s.prefs.minimap } }),
});
