import { register } from './types';

export default register('file.saveAs', {
  perform: (s) => ({ ...s, dialog: { kind: 'saveAs' } }),
});
