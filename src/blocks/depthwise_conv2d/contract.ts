import type { UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'core/depthwise_conv2d': ['kernel', 'stride', 'padding', 'pad', 'dilation', 'multiplier', 'bias'],
  },
  cases: {
    'core/depthwise_conv2d': [
      {},
      { params: { multiplier: 2, stride: 2, padding: 'explicit', pad: 1 } },
      { params: { dilation: 2, multiplier: 2 }, name: 'dilated' },
    ],
  },
};
