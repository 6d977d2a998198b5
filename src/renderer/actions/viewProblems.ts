import { register } from './types';

export default register({
  name: 'view.problems',
  label: 'Show problems panel',
  category: 'View',
  keys: ['Mod+Shift+M'],
  checked: (s) => s.prefs.problemsOpen,
  perform: (s) => ({ ...s, prefs: { ...s.prefs, problemsOpen: !s.prefs.problemsOpen } }),
});
