import type { UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'reshape/upsample': ['scale', 'mode'],
  },
  cases: {
    'reshape/upsample': [{}, { params: { mode: 'bilinear' } }, { params: { mode: 'bilinear', scale: 3 }, input: [3, 5, 2] }],
  },
};
