import { register } from './types';
import { insertFragmentAt } from './shared';

export default register('library.insert', {
  async perform(_s, p, ctx) {
    const item = ctx.library.list().find((i) => i.id === p.id);
    if (!item) throw new Error('That block is no longer in the library');
    ctx.edit((s) => insertFragmentAt(s, item.fragment, p.position, ctx.view));
  },
});
