import { register } from './types';
import { confirmDiscard, openProjectText } from './shared';
import { isOnnxName, openOnnxModel } from './openModel';

/** Opens a `.netsmith.json` or an `.onnx` model from this computer (browser upload, or a file dropped on the window). */
export default register('file.upload', {
  async perform(_s, p, ctx) {
    const given = p?.file;
    if (!(await confirmDiscard(ctx))) return;
    const file = given ?? (await ctx.files.pick('.json,application/json,.onnx'));
    if (!file) return;
    if (isOnnxName(file.name)) {
      if (!file.blob) throw new Error(`cannot read ${file.name}`);
      return openOnnxModel(ctx, { name: file.name, blob: file.blob });
    }
    const text = 'text' in file && typeof file.text === 'string' ? file.text : await file.blob!.text();
    openProjectText(ctx, { text, name: file.name, path: null });
  },
});
