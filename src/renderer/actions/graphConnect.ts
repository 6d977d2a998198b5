import { canConnect } from '../core/connect';
import { connect } from '../core/graphOps';
import { register } from './types';

export default register('graph.connect', {
  perform(s, p) {
    const check = canConnect(s.doc, p);
    if (!check.ok) throw new Error(check.reason);
    return { ...s, doc: connect(s.doc, p) };
  },
});
