import { register } from './types';

/** Pastes blocks from the clipboard (the system clipboard, or the last copy when it cannot be read). */
export default register('edit.paste', {
  async perform(_s, p, ctx) {
    const text = p?.text ?? (await ctx.clipboard.read());
    if (!text) {
      ctx.toast('The clipboard is empty');
      return;
    }
    await ctx.dispatch('edit.pasteText', { text });
  },
});
