import { updateRun } from '../core/state';
import { register } from './types';

/** Pauses the running run after its current step (the worker waits; nothing is lost). */
export default register('run.pause', {
  predicate: (s) => s.run?.state === 'running',
  async perform(s, _p, ctx) {
    if (!ctx.lab || !s.run) return;
    const run = await ctx.lab.controlRun({ id: s.run.id, action: 'pause' });
    ctx.update((s) => updateRun(s, { id: run.id, state: run.state }));
  },
});
