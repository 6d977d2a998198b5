import { tokens, type UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'tfm/encoder': ['heads', 'mlpDim', 'dropout', 'attnDropout', 'epsilon'],
  },
  cases: {
    'tfm/encoder': [{ before: tokens }, { before: tokens, params: { heads: 2, mlpDim: 12, dropout: 0.1, attnDropout: 0.1 } }],
  },
};
