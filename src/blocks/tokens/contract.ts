import { tokens, type UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'tfm/class_token': [],
    'tfm/pos_embed': ['mode'],
  },
  cases: {
    'tfm/class_token': [{ before: tokens }],
    'tfm/pos_embed': [{ before: tokens }, { before: tokens, params: { mode: 'sinusoidal' } }],
  },
};
