import { isActive } from '../../shared/runs/runRecord';
import { analysisOf } from '../core/analysis';
import { serializeProject } from '../core/project';
import { updateRun } from '../core/state';
import { register } from './types';

/** Starts a run of the open graph with the Train panel's dataset and settings. */
export default register('run.start', {
  predicate: (s) => !isActive(s.run?.state),
  async perform(s, p, ctx) {
    if (!ctx.lab) throw new Error('Training needs a host connection');
    const errors = analysisOf(s.doc).errors;
    if (errors > 0) throw new Error(`The graph has ${errors} error${errors > 1 ? 's' : ''}: fix them in the editor's problems panel first`);
    // "Load weights…": the run starts from them (matched by block label and shape in the worker).
    const config = s.doc.meta.weights ? { ...p.config, initFrom: s.doc.meta.weights.from } : p.config;
    const run = await ctx.lab.startRun({ project: serializeProject(s.doc), dataset: p.dataset, config });
    ctx.update((s) => updateRun(s, { id: run.id, state: run.state, epoch: run.epoch, epochs: run.epochs, step: run.step }));
    ctx.toast(`Training started: ${run.name}`, 'success');
  },
});
