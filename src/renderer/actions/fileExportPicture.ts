import { register } from './types';

/** Opens the picture of the graph being edited (SVG, or PNG drawn at 2×) for download. */
export default register('file.exportPicture', {
  undoable: false,
  perform: (s) => ({ ...s, dialog: { kind: 'picture' } }),
});
