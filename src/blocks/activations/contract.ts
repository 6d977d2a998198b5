import { tokens, type UnitContract } from '../../../tests/unit/engine/compile/cases';

/** Test-only (collected by tests/unit/blocks/contracts.ts; nothing in src imports it): the unit's pinned params and contract cases. */
export const contract: UnitContract = {
  pins: {
    'act/relu': [],
    'act/relu6': [],
    'act/leaky_relu': ['alpha'],
    'act/prelu': [],
    'act/elu': ['alpha'],
    'act/gelu': ['approximate'],
    'act/silu': [],
    'act/hardswish': [],
    'act/hardsigmoid': [],
    'act/mish': [],
    'act/sigmoid': [],
    'act/tanh': [],
    'act/softmax': ['axis'],
  },
  cases: {
    'act/prelu': [{}, { before: tokens, name: 'on tokens' }],
    'act/elu': [{}, { params: { alpha: 0.5 } }],
    'act/gelu': [{}, { params: { approximate: 'tanh' } }],
    'act/softmax': [{}, { params: { axis: 2 } }],
  },
};
