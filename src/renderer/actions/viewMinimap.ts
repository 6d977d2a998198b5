import { register } from './types';

export default register('view.minimap', {
  checked: (s) => s.prefs.minimap,
  perform: (s) => ({ ...s, prefs: { ...s.prefs, minimap: !s.prefs.minimap } }),
});
