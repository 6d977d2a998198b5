import { GraphBuilder } from '../../shared/graph/builder';
import { COMPOSITES } from '../core/catalog';
import { analysisOf } from '../core/analysis';
import { compositeFragment } from '../core/fragment';
import { register } from './types';
import { insertFragmentAt } from './shared';

/** Inserts a composite from the catalog (e.g. a residual block) as a group. */
export default register('graph.insertComposite', {
  async perform(s, p, ctx) {
    const c = COMPOSITES.find((x) => x.id === p.id);
    if (!c) throw new Error(`Unknown composite '${p.id}'`);
    // Fit the composite to the selected block's channels (a residual block keeps them).
    const sel = s.selection.nodes.length === 1 ? analysisOf(s.doc).analysis.nodes[s.selection.nodes[0]]?.output : undefined;
    const last = sel?.[sel.length - 1];
    const channels = typeof last === 'number' ? last : undefined;
    const fragment = compositeFragment(c, () => new GraphBuilder({ name: c.name, input: s.doc.meta.input.shape }), channels ? { channels } : {});
    ctx.edit((st) => insertFragmentAt(st, fragment, p.position, ctx.view));
  },
});
