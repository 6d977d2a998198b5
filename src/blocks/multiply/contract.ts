import { pair, type UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'merge/multiply': [],
  },
  cases: {
    'merge/multiply': [
      { build: pair('merge/multiply') },
      { build: (b, x) => b.add('merge/multiply', {}, [x, b.add('pool/global_avgpool', { keepDims: true }, x)]), name: 'broadcast 1×1×C' },
    ],
  },
};
