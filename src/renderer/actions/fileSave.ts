import { register } from './types';

export default register({
  name: 'file.save',
  label: 'Save',
  category: 'File',
  keys: ['Mod+S'],
  keysInInputs: true,
  async perform(s, _p, ctx) {
    if (!ctx.lab || !s.path) {
      await ctx.dispatch('file.saveAs');
      return;
    }
    await ctx.dispatch('file.saveTo', { path: s.path });
  },
});
