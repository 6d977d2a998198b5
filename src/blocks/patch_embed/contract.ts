import type { UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'tfm/patch_embed': ['patch', 'dim'],
  },
  cases: {
    'tfm/patch_embed': [{ params: { patch: 2, dim: 8 } }, { params: { patch: 4, dim: 6 } }],
  },
};
