import { register } from './types';

export default register({
  name: 'view.theme',
  label: 'Toggle dark / light theme',
  category: 'View',
  keys: ['Mod+Shift+T'],
  checked: (s) => s.prefs.theme === 'light',
  perform: (s) => ({ ...s, prefs: { ...s.prefs, theme: s.prefs.theme === 'dark' ? 'light' : 'dark' } }),
});
