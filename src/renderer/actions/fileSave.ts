import { register } from './types';

export default register('file.save', {
  async perform(s, _p, ctx) {
    if (!ctx.lab || !s.path) {
      await ctx.dispatch('file.saveAs');
      return;
    }
    await ctx.dispatch('file.saveTo', { path: s.path });
  },
});
