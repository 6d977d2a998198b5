import { experimentsStoreFor } from '../experiments/store';
import { register } from './types';

/** Opens the Experiments workspace with the "save experiment from runs" form (compare two or more runs). */
export default register('experiment.saveFromRuns', {
  undoable: false,
  async perform(s, _p, ctx) {
    if (!ctx.lab) throw new Error('Experiments need a host: start the desktop app or `npm run cli -- serve`.');
    const store = experimentsStoreFor(ctx.lab);
    if (s.workspace !== 'experiments') await ctx.dispatch('view.workspace', { workspace: 'experiments' });
    store.setSaving(true);
  },
});
