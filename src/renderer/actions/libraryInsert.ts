import { register } from './types';

export default register('library.insert', {
  async perform(_s, p, ctx) {
    const item = ctx.library.list().find((i) => i.id === p.id);
    if (!item) throw new Error('That block is no longer in the library');
    await ctx.dispatch('graph.insertFragment', { fragment: item.fragment, position: p.position });
  },
});
