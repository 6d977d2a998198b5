import { activeExperimentsStore, experimentsStoreFor } from '../experiments/store';
import { register } from './types';

/**
 * Starts (or runs again) the guided experiment open in the Experiments workspace, with the chosen concurrency
 * (`payload.concurrency` overrides it). Disabled elsewhere, while it runs, or for a saved comparison; the
 * detail page shows why (ExperimentsStore.problem).
 */
export default register('experiment.start', {
  undoable: false,
  predicate: (s) => s.workspace === 'experiments' && activeExperimentsStore()?.problem('start') === null,
  async perform(_s, p, ctx) {
    if (!ctx.lab) return;
    const store = experimentsStoreFor(ctx.lab);
    const view = store.current();
    const problem = store.problem('start');
    if (problem || view?.kind !== 'builtin') throw new Error(problem ?? 'Open a guided experiment first.');
    await store.start(view.id, { concurrency: p?.concurrency ?? store.state.concurrency, ...(p?.seed !== undefined ? { seed: p.seed } : {}) });
  },
});
