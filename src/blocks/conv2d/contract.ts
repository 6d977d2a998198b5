import type { UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'core/conv2d': ['filters', 'kernel', 'stride', 'padding', 'pad', 'dilation', 'groups', 'bias'],
  },
  cases: {
    'core/conv2d': [
      {},
      { params: { padding: 'explicit', pad: 1, stride: 2 } },
      { params: { padding: 'valid', kernel: 3, bias: false } },
      { params: { groups: 2, filters: 6 }, name: 'grouped' },
      { params: { groups: 4, filters: 8 }, name: 'groups = C (depthwise)' },
      { params: { dilation: 2 }, name: 'dilated same' },
      { params: { dilation: 2, padding: 'explicit', pad: 2, groups: 2, filters: 4 }, name: 'dilated grouped explicit' },
      { params: { dilation: 3, padding: 'valid', kernel: 2 }, input: [9, 7, 4], name: 'dilated valid, odd sizes' },
    ],
  },
};
