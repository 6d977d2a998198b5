import type { UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'attn/se': ['reduction', 'squeeze', 'activation', 'gate', 'bias'],
  },
  cases: {
    'attn/se': [{}, { params: { activation: 'silu', gate: 'hardsigmoid', bias: false, squeeze: 3 } }],
  },
};
