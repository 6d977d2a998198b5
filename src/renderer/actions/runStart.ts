import { serializeProject } from '../core/project';
import { register } from './types';

export default register<{ dataset: string; config: Record<string, unknown> }>({
  name: 'run.start',
  label: 'Start training',
  category: 'Run',
  palette: false,
  async perform(s, p, ctx) {
    if (!ctx.lab) throw new Error('Training needs a host connection');
    const run = await ctx.lab.startRun({ project: serializeProject(s.doc), dataset: p.dataset, config: p.config });
    await ctx.dispatch('run.update', { run: { id: run.id, state: run.state, epoch: run.epoch, epochs: run.epochs, step: run.step } });
    await ctx.dispatch('ui.closeDialog');
    ctx.toast(`Training started: ${run.name}`, 'success');
  },
});
