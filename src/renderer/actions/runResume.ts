import { register } from './types';

/** Resumes a paused run, or continues a stopped or interrupted one (the lab closed mid-run) from its last checkpoint. */
export default register({
  name: 'run.resume',
  label: 'Resume training',
  category: 'Run',
  predicate: (s) => s.run?.state === 'paused' || s.run?.state === 'stopped' || s.run?.state === 'interrupted',
  async perform(s, _p, ctx) {
    if (!ctx.lab || !s.run) return;
    const run = await ctx.lab.controlRun({ id: s.run.id, action: 'resume' });
    await ctx.dispatch('run.update', { run: { id: run.id, state: run.state } });
  },
});
