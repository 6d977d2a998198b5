import type { UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'tfm/metaformer': ['mixer', 'poolSize', 'mlpRatio'],
  },
  cases: {
    'tfm/metaformer': [{}, { params: { mixer: 'affine', mlpRatio: 2 } }, { params: { poolSize: 5 }, input: [6, 5, 4], name: 'pool 5, odd sizes' }],
  },
};
