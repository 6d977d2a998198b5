import { tokens, type UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'norm/batchnorm': ['momentum', 'epsilon', 'affine'],
  },
  cases: {
    'norm/batchnorm': [{}, { params: { affine: false } }, { before: tokens, name: 'on tokens' }],
  },
};
