import { isActive } from '../../shared/runs/runRecord';
import { updateRun } from '../core/state';
import { register } from './types';

/** Stops the run after its current step; it saves a checkpoint, so it can be resumed later. */
export default register('run.stop', {
  predicate: (s) => isActive(s.run?.state),
  async perform(s, _p, ctx) {
    if (!ctx.lab || !s.run) return;
    const run = await ctx.lab.controlRun({ id: s.run.id, action: 'stop' });
    ctx.update((s) => updateRun(s, { id: run.id, state: run.state }));
  },
});
