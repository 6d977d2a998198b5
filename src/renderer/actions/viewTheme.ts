import { register } from './types';

export default register('view.theme', {
  checked: (s) => s.prefs.theme === 'light',
  perform: (s) => ({ ...s, prefs: { ...s.prefs, theme: s.prefs.theme === 'dark' ? 'light' : 'dark' } }),
});
