import { lrMultiplierSchema, lrMultiplierUpTo, setLrMultiplier, withWeights } from '../../shared/graph/lrMultiplier';
import { analysisOf } from '../core/analysis';
import { register } from './types';

/**
 * Sets the learning-rate multiplier of the given blocks (else the selection), or with `upTo` of that block and
 * every block before it, those with weights; 1 clears it. An invalid multiplier (0, negative) does nothing: the field says why.
 */
export default register('graph.setLrMultiplier', {
  predicate: (s, p) => p !== undefined && lrMultiplierSchema.safeParse(p.multiplier).success && (Boolean(p.upTo) || (p.nodes ?? s.selection.nodes).length > 0),
  perform: (s, p) => {
    const { analysis } = analysisOf(s.doc);
    return { ...s, doc: p.upTo ? lrMultiplierUpTo(s.doc, analysis, p.upTo, p.multiplier) : setLrMultiplier(s.doc, withWeights(analysis, p.nodes ?? s.selection.nodes), p.multiplier) };
  },
});
