/**
 * The block registry: one line per unit folder under src/blocks, in palette order (a unit's own blocks keep the
 * order of its `definitions`). Everything else is derived from this list: the definition catalogue the editor,
 * validator and exporters iterate (catalog.generated.ts), the engine twins (engines.generated.ts), the custom
 * layers of the TF.js loader and the Python classes of the PyTorch export. After editing it, run
 * `npm run build:loader` (regenerates both lists and the loader); tests/unit/blocks/registry.test.ts fails while
 * they are stale or when a folder is missing here. See docs/adding-a-block.md.
 */
export const UNITS = [
  'input',
  // conv / dense
  'conv2d',
  'depthwise_conv2d',
  'separable_conv2d',
  'conv2d_transpose',
  'dense',
  // pooling
  'pooling',
  'global_pool',
  // normalisation
  'batchnorm',
  'layernorm',
  'groupnorm',
  // activations
  'activations',
  // regularisation
  'regularization',
  // merge
  'add',
  'concat',
  'multiply',
  // reshape
  'flatten',
  'reshape',
  'zeropad',
  'upsample',
  // attention
  'se',
  'cbam',
  'coord_attention',
  'mhsa',
  // transformer
  'patch_embed',
  'tokens',
  'encoder',
  'metaformer',
  'cls_pool',
  // heads
  'heads',
  'yolo_head',
] as const;

export type UnitName = (typeof UNITS)[number];
