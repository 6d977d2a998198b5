import { defineBlock } from '../../shared/blocks/types';

export const input = defineBlock({
  type: 'io/input',
  title: 'Input',
  family: 'io',
  params: {},
  inputs: [],
  inferShape: (_in, _p, ctx) => [null, ...ctx.graphInput],
  cost: () => ({ params: 0, macs: 0, ops: 0 }),
  doc: {
    summary: 'The images (or tensors) fed to the network, one batch at a time. Its shape is the graph\'s input spec (H×W×C).',
    use: 'Set the input size in the graph settings; it follows the chosen dataset.',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [input] as const;
