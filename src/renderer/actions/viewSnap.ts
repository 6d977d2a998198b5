import { register } from './types';

export default register({
  name: 'view.snap',
  label: 'Snap to grid',
  category: 'View',
  checked: (s) => s.prefs.snap,
  perform: (s) => ({ ...s, prefs: { ...s.prefs, snap: !s.prefs.snap } }),
});
