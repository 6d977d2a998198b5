import type { UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'core/conv2d_transpose': ['filters', 'kernel', 'stride', 'padding', 'pad', 'outputPadding', 'bias'],
  },
  cases: {
    'core/conv2d_transpose': [
      {},
      { params: { padding: 'same', kernel: 3 } },
      { params: { padding: 'valid', kernel: 3, stride: 2 } },
      { params: { padding: 'valid', kernel: 1, stride: 2 }, name: 'K < S' },
      { params: { padding: 'explicit', pad: 1, kernel: 3, stride: 2, outputPadding: 1 }, name: 'explicit + outputPadding' },
    ],
  },
};
