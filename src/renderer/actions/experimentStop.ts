import { activeExperimentsStore, experimentsStoreFor } from '../experiments/store';
import { register } from './types';

/** Stops the experiment open in the Experiments workspace: the runs in flight stop, the rest are skipped. */
export default register('experiment.stop', {
  undoable: false,
  predicate: (s) => s.workspace === 'experiments' && activeExperimentsStore()?.problem('stop') === null,
  async perform(_s, _p, ctx) {
    if (!ctx.lab) return;
    const store = experimentsStoreFor(ctx.lab);
    const view = store.current();
    const problem = store.problem('stop');
    if (problem || view?.kind !== 'builtin') throw new Error(problem ?? 'Open a guided experiment first.');
    await store.stop(view.id);
  },
});
