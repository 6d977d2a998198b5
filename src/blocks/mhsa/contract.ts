import { tokens, type UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'attn/mhsa': ['heads', 'dropout', 'qkvBias'],
  },
  cases: {
    'attn/mhsa': [{ before: tokens }, { before: tokens, params: { qkvBias: false, dropout: 0.1, heads: 2 } }],
  },
};
