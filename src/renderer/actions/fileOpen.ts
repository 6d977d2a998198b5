import { register } from './types';

export default register('file.open', {
  perform: (s) => ({ ...s, dialog: { kind: 'open' } }),
});
