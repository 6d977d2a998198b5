import { emptyGraph, loadDoc } from '../core/state';
import { register } from './types';
import { confirmDiscard } from './shared';

export default register('file.new', {
  async perform(_s, _p, ctx) {
    if (!(await confirmDiscard(ctx))) return;
    ctx.update((s) => loadDoc(s, emptyGraph(), null, true));
    ctx.view.fitView({ readable: true });
  },
});
