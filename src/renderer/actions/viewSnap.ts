import { register } from './types';

export default register('view.snap', {
  checked: (s) => s.prefs.snap,
  perform: (s) => ({ ...s, prefs: { ...s.prefs, snap: !s.prefs.snap } }),
});
