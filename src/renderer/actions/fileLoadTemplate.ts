import { restore } from '../../shared/graph/restore';
import { isTooTall } from '../../shared/graph/layout';
import { moveNodes } from '../core/graphOps';
import { autoLayout } from '../core/view';
import { TEMPLATES } from '../core/catalog';
import { loadDoc } from '../core/state';
import { register } from './types';
import { confirmDiscard } from './shared';

/** Creates a new (unsaved) project from a template; the template goes through `restore()` like any load. */
export default register('file.loadTemplate', {
  async perform(_s, p, ctx) {
    const t = TEMPLATES.find((x) => x.id === p.id);
    if (!t) throw new Error(`Unknown template '${p.id}'`);
    if (!(await confirmDiscard(ctx))) return;
    const r = restore(t.build());
    if (!r.ok) throw new Error(`Template '${t.name}' is broken: ${r.errors.map((e) => e.message).join('; ')}`);
    // A deep chain (ResNet-50, MobileNet) is folded into columns, so the whole network fits the view readably.
    const graph = isTooTall(r.graph.nodes.map((n) => n.position)) ? moveNodes(r.graph, autoLayout(r.graph)) : r.graph;
    ctx.update((s) => loadDoc(s, graph, null, true));
    ctx.view.fitView({ readable: true });
    // The Train panel starts from the template's measured settings (dataset, epochs, batch, optimizer).
    const rec = t.recommended;
    if (rec) ctx.trainDraft.recommend(rec);
    ctx.toast(`New project from ${t.name}${rec ? ` · Train panel set to ${rec.dataset} with its recommended settings` : ''}`, 'success');
  },
});
