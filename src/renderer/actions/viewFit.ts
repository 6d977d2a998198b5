import { register } from './types';

export default register('view.fit', {
  perform(_s, _p, ctx) {
    ctx.view.fitView();
  },
});
