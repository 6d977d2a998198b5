/**
 * Where torchvision keeps a block's tensors when its module attribute differs from the lab's PyTorch twin.
 *
 * A torchvision key is `<module path>.<tensor>`: the module path is the node's label path (`layer1.0.conv1`, the
 * templates label every node after torchvision's module), the tensor is the twin's state key unless the block's
 * table below renames it. One table per block type; blocks not listed keep the twin's names (conv, BatchNorm,
 * dense, LayerNorm, patch embedding…). An empty name means the module path itself is the tensor (ViT's
 * `class_token`). `reshape`: torchvision stores the same values with extra unit axes (a 1×1 conv for a linear).
 */
export interface TorchvisionName {
  key: string;
  reshape?: boolean;
}

export const TORCHVISION_NAMES: Record<string, Record<string, TorchvisionName>> = {
  // torchvision.ops.SqueezeExcitation: fc1/fc2 are 1×1 convolutions.
  'attn/se': {
    'fc1.weight': { key: 'fc1.weight', reshape: true },
    'fc2.weight': { key: 'fc2.weight', reshape: true },
  },
  // torchvision.models.vision_transformer.EncoderBlock.
  'tfm/encoder': {
    'ln1.weight': { key: 'ln_1.weight' },
    'ln1.bias': { key: 'ln_1.bias' },
    'ln2.weight': { key: 'ln_2.weight' },
    'ln2.bias': { key: 'ln_2.bias' },
    'attn.qkv.weight': { key: 'self_attention.in_proj_weight' },
    'attn.qkv.bias': { key: 'self_attention.in_proj_bias' },
    'attn.proj.weight': { key: 'self_attention.out_proj.weight' },
    'attn.proj.bias': { key: 'self_attention.out_proj.bias' },
    'fc1.weight': { key: 'mlp.0.weight' },
    'fc1.bias': { key: 'mlp.0.bias' },
    'fc2.weight': { key: 'mlp.3.weight' },
    'fc2.bias': { key: 'mlp.3.bias' },
  },
  // VisionTransformer.class_token and Encoder.pos_embedding are parameters, not modules.
  'tfm/class_token': { token: { key: '' } },
  'tfm/pos_embed': { table: { key: '' } },
};

/** The torchvision key of the twin's state key `<module name>.<tensor>` of a node with layer base name `base`. */
export function torchvisionKey(type: string, base: string, tensor: string): TorchvisionName {
  const named = TORCHVISION_NAMES[type]?.[tensor];
  const key = named ? named.key : tensor;
  return { key: key ? `${base}.${key}` : base, reshape: named?.reshape };
}
