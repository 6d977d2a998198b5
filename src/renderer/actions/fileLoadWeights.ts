import type { WeightsSource } from '../../shared/api';
import { setMeta } from '../core/graphOps';
import { parseProject } from '../core/project';
import { closeDialog, loadDoc } from '../core/state';
import { register } from './types';
import type { ActionContext } from './types';

/**
 * "Load weights…": without a path, opens the Load weights dialog (a PyTorch file, torchvision's ImageNet weights,
 * or a folder on the host). With one, the next run of this graph starts from that weights folder (a model folder,
 * a run folder or a checkpoint folder), matched by block label and shape; when none of the graph's blocks is in
 * the folder, it offers the folder's own network instead.
 */
export default register('file.loadWeights', {
  async perform(_s, p, ctx) {
    if (!ctx.lab) throw new Error('Loading weights needs a host connection');
    if (!p?.path) {
      ctx.update((st) => ({ ...st, dialog: { kind: 'loadWeights' } }));
      return;
    }
    await useWeights(ctx, await ctx.lab.describeWeights({ path: p.path.trim() }));
  },
});

async function useWeights(ctx: ActionContext, w: WeightsSource): Promise<void> {
  const s = ctx.get();
  const weights = { from: w.from, label: w.label };
  const labels = new Set(s.doc.nodes.map((n) => n.label).filter((l): l is string => Boolean(l)));
  const matching = w.layers.filter((l) => labels.has(l)).length;
  if (matching === 0 && w.graph) {
    ctx.update(closeDialog);
    const open = await ctx.confirm('Open the network of these weights?', `None of this graph's blocks is in ${w.label}. Open its network instead? It starts from these weights.`, { confirmLabel: 'Open its network' });
    if (open !== true) return;
    const r = parseProject(w.graph);
    if (!r.ok) throw new Error(`the network in ${w.label} cannot be opened: ${r.errors.map((e) => e.message).join('; ')}`);
    ctx.update((st) => loadDoc(st, setMeta(r.graph, { weights }), null, false));
    ctx.view.fitView({ readable: true });
    ctx.toast(`Opened ${r.graph.meta.name}: its runs start from ${w.label}`, 'success');
    return;
  }
  if (matching === 0) throw new Error(`none of this graph's blocks is in ${w.label} (the blocks are matched by their names)`);
  await ctx.dispatch('graph.setMeta', { weights });
  ctx.update(closeDialog);
  ctx.toast(`Runs start from ${w.label}: ${matching} of ${w.layers.length} layers match by name (and shape, checked when the run starts)`, 'success');
}
