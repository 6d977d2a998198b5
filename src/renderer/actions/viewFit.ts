import { register } from './types';

export default register({
  name: 'view.fit',
  label: 'Fit view',
  category: 'View',
  keys: ['Shift+1'],
  perform(_s, _p, ctx) {
    ctx.view.fitView();
  },
});
