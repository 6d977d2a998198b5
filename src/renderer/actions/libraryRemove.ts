import { removeItem } from '../core/library';
import { register } from './types';

export default register('library.remove', {
  async perform(_s, p, ctx) {
    const item = ctx.library.list().find((i) => i.id === p.id);
    if (!item) return;
    if (!(await ctx.confirm('Remove from My blocks?', `'${item.name}' will be removed from your block library.`, { confirmLabel: 'Remove', danger: true }))) return;
    ctx.library.save(removeItem(ctx.library.list(), p.id));
  },
});
