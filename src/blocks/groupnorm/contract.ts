import { tokens, type UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'norm/groupnorm': ['groups', 'epsilon'],
  },
  cases: {
    'norm/groupnorm': [{ params: { groups: 2 } }, { params: { groups: 4 }, before: tokens, name: 'on tokens' }],
  },
};
