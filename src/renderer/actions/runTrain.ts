import { analysisOf } from '../core/analysis';
import { register } from './types';

/** Opens the Training workspace (the Train panel and the dashboards) when the graph has no errors. */
export default register('run.train', {
  perform(s, _p, ctx) {
    if (!ctx.lab) throw new Error('Training needs a host connection');
    const errors = analysisOf(s.doc).errors;
    if (errors > 0) {
      ctx.toast(`Fix the ${errors} error${errors > 1 ? 's' : ''} in the problems panel before training`, 'error');
      return { ...s, workspace: 'editor', prefs: { ...s.prefs, problemsOpen: true } };
    }
    return { ...s, workspace: 'training', dialog: null };
  },
});
