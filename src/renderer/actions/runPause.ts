import { register } from './types';

/** Pauses the running run after its current step (the worker waits; nothing is lost). */
export default register('run.pause', {
  predicate: (s) => s.run?.state === 'running',
  async perform(s, _p, ctx) {
    if (!ctx.lab || !s.run) return;
    const run = await ctx.lab.controlRun({ id: s.run.id, action: 'pause' });
    await ctx.dispatch('run.update', { run: { id: run.id, state: run.state } });
  },
});
