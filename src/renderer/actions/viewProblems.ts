import { register } from './types';

export default register('view.problems', {
  checked: (s) => s.prefs.problemsOpen,
  perform: (s) => ({ ...s, prefs: { ...s.prefs, problemsOpen: !s.prefs.problemsOpen } }),
});
