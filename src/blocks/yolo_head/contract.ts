import type { UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'det/yolo_head': ['classes', 'anchors', 'stride'],
  },
  cases: {
    'det/yolo_head': [
      { params: { classes: 3, anchors: 2, stride: 1 }, task: 'detection' },
      { params: { classes: 2, anchors: 0, stride: 2 }, before: (b, x) => b.add('pool/maxpool', {}, x), task: 'detection', name: 'anchor-free' },
    ],
  },
};
