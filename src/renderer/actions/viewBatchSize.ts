import { register } from './types';

export default register('view.batchSize', {
  perform: (s, p) => ({ ...s, prefs: { ...s.prefs, batchSize: Math.max(1, Math.min(65536, Math.round(p.batchSize) || 1)) } }),
});
