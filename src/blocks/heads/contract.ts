import type { UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'head/classify': ['classes'],
    'head/segment': ['classes'],
  },
  cases: {
    'head/classify': [{ before: (b, x) => b.add('reshape/flatten', {}, x) }],
    'head/segment': [{ task: 'segmentation' }],
  },
};
