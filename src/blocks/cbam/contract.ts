import type { UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'attn/cbam': ['reduction', 'spatialKernel', 'bias'],
  },
  cases: {
    'attn/cbam': [{ params: { reduction: 2 } }, { params: { reduction: 2, bias: true, spatialKernel: 3 } }],
  },
};
