import { updateRun } from '../core/state';
import { register } from './types';

const RESUMABLE = new Set(['paused', 'stopped', 'interrupted']);

/**
 * Resumes a paused run, or continues a stopped or interrupted one (the lab closed mid-run) from its last
 * checkpoint: the editor's current run, or the one given (the Runs list).
 */
export default register('run.resume', {
  predicate: (s, p) => !!p?.runId || RESUMABLE.has(s.run?.state ?? ''),
  async perform(s, p, ctx) {
    const id = p?.runId ?? s.run?.id;
    if (!ctx.lab || !id) return;
    const run = await ctx.lab.controlRun({ id, action: 'resume' });
    ctx.update((s) => updateRun(s, { id: run.id, state: run.state, epoch: run.epoch, epochs: run.epochs, step: run.step }));
  },
});
