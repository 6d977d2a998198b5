import { register } from './types';

/** Opens the picture of the graph being edited (SVG, or PNG drawn at 2×) for download. */
export default register({
  name: 'file.exportPicture',
  label: 'Export network picture (SVG/PNG)…',
  category: 'File',
  undoable: false,
  perform: (s) => ({ ...s, dialog: { kind: 'picture' } }),
});
