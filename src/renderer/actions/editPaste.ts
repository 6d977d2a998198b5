import { insertFragment, parseFragment } from '../core/fragment';
import type { EditorState } from '../core/state';
import { register, type ActionContext } from './types';

/** Pastes blocks from the clipboard (the system clipboard, or the last copy when it cannot be read). */
export default register('edit.paste', {
  async perform(_s, p, ctx) {
    const text = p?.text ?? (await ctx.clipboard.read());
    if (!text) {
      ctx.toast('The clipboard is empty');
      return;
    }
    ctx.edit((s) => pasteText(s, text, ctx));
  },
});

/** Inserts pasted JSON (through `restore()`), with fresh ids; pasted into the same project it is offset. */
function pasteText(s: EditorState, text: string, ctx: Pick<ActionContext, 'view' | 'toast'>): EditorState {
  const parsed = parseFragment(text);
  if (!parsed.ok) throw new Error(parsed.error);
  const frag = parsed.fragment;
  if (frag.nodes.length === 0) return s;
  const byId = new Map(s.doc.nodes.map((n) => [n.id, n]));
  const sameProject = frag.nodes.every((n) => byId.get(n.id)?.type === n.type);
  let opts;
  if (sameProject) opts = { offset: { x: 40, y: 40 } };
  else {
    const c = ctx.view.center();
    const w = Math.max(...frag.nodes.map((n) => n.position.x)) - Math.min(...frag.nodes.map((n) => n.position.x));
    const h = Math.max(...frag.nodes.map((n) => n.position.y)) - Math.min(...frag.nodes.map((n) => n.position.y));
    opts = { at: { x: c.x - w / 2 - 100, y: c.y - h / 2 - 30 } };
  }
  const r = insertFragment(s.doc, frag, opts);
  if (parsed.notes.length) ctx.toast(`Pasted with repairs: ${parsed.notes.join('; ')}`);
  return { ...s, doc: r.doc, selection: { nodes: r.ids, edges: [] } };
}
