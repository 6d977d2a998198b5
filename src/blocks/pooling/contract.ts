import type { UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'pool/maxpool': ['size', 'stride', 'padding', 'pad'],
    'pool/avgpool': ['size', 'stride', 'padding', 'pad'],
  },
  cases: {
    'pool/maxpool': [{}, { params: { size: 3, stride: 2, padding: 'explicit', pad: 1 } }, { params: { size: 3, padding: 'same' } }],
    'pool/avgpool': [{}, { params: { size: 3, stride: 2, padding: 'explicit', pad: 1 } }, { params: { size: 3, stride: 2, padding: 'valid' } }],
  },
};
