import { GraphBuilder } from '../graph/builder';
import type { GraphDoc } from '../graph/types';
import { transformerStage } from './composites';
import { classify, conv, convBnAct, finish } from './layers';
import { imagenet, type Template } from './types';

export interface VitSpec {
  name: string;
  input: [number, number, number];
  classes: number;
  patch: number;
  dim: number;
  depth: number;
  heads: number;
  mlpDim: number;
  dropout?: number;
  description?: string;
}

/**
 * torchvision's VisionTransformer: `conv_proj` (p×p/p patch embedding), `class_token`, learned
 * `encoder.pos_embedding`, `encoder.layers` (pre-norm encoder blocks, one repeated group), the final LayerNorm
 * `encoder.ln` (ε 1e-6), the [cls] token and `heads.head`.
 */
export function buildVit(s: VitSpec): GraphDoc {
  const b = new GraphBuilder({ name: s.name, input: s.input, description: s.description });
  let x = b.input();
  x = b.add('tfm/patch_embed', { patch: s.patch, dim: s.dim }, x, { label: 'conv_proj' });
  x = b.add('tfm/class_token', {}, x, { label: 'class_token' });
  x = b.add('tfm/pos_embed', { mode: 'learned' }, x, { label: 'encoder.pos_embedding' });
  x = transformerStage(b, x, { depth: s.depth, heads: s.heads, mlpDim: s.mlpDim, dropout: s.dropout ?? 0, label: 'encoder.layers.encoder_layer_0' });
  x = b.add('norm/layernorm', { epsilon: 1e-6 }, x, { label: 'encoder.ln' });
  x = b.add('tfm/cls_pool', { mode: 'token' }, x, { label: 'cls_token' });
  classify(b, x, s.classes, 'heads.head');
  return finish(b);
}

export const vitB16: Template = {
  ...imagenet('transformer'),
  id: 'vit_b16',
  name: 'ViT-B/16',
  description: 'Dosovitskiy et al. 2020, torchvision vit_b_16: 16×16 patches → 196 tokens + [cls] of dim 768, learned position table, 12 encoder blocks with 12 heads and a 3072-wide MLP.',
  reference: { source: 'torchvision vit_b_16', params: 86_567_656, macs: 17_563_828_224 },
  build: () => buildVit({ name: 'ViT-B/16', input: [224, 224, 3], classes: 1000, patch: 16, dim: 768, depth: 12, heads: 12, mlpDim: 3072, description: vitB16.description }),
};

export const vitTiny: Template = {
  ...imagenet('transformer'),
  id: 'vit_tiny',
  name: 'ViT-Tiny/16',
  description: 'ViT-Ti as in DeiT-Tiny (timm deit_tiny_patch16_224): 16×16 patches, dim 192, 12 encoder blocks with 3 heads and a 768-wide MLP; 5.7 M parameters.',
  reference: { source: 'timm deit_tiny_patch16_224 (= torchvision VisionTransformer(224, 16, 12, 3, 192, 768))', params: 5_717_416, macs: 1_253_683_200 },
  build: () => buildVit({ name: 'ViT-Tiny/16', input: [224, 224, 3], classes: 1000, patch: 16, dim: 192, depth: 12, heads: 3, mlpDim: 768, description: vitTiny.description }),
};

export const vitTinyCifar: Template = {
  id: 'vit_tiny_cifar',
  name: 'ViT-Tiny (CIFAR)',
  family: 'transformer',
  task: 'classification',
  input: [32, 32, 3],
  classes: 10,
  description: 'A tiny vision transformer for 32×32 images: 4×4 patches → 64 tokens + [cls] of dim 64, 2 encoder blocks with 4 heads and a 128-wide MLP. Without a CNN\'s inductive bias it trails a small ResNet on small data.',
  reference: { source: 'torchvision VisionTransformer(32, 4, 2, 4, 64, 128) (tests/fixtures/reference_models.py)', params: 75_082, macs: 5_538_688 },
  build: () => buildVit({ name: 'ViT-Tiny (CIFAR)', input: [32, 32, 3], classes: 10, patch: 4, dim: 64, depth: 2, heads: 4, mlpDim: 128, description: vitTinyCifar.description }),
};

export interface HybridSpec {
  name: string;
  input: [number, number, number];
  classes: number;
  /** Channels of the stride-2 conv-BN-ReLU stem layers (each halves the size). */
  stem: number[];
  dim: number;
  /** MetaFormer blocks (pool mixer) before the tokens: EfficientFormer's Meta4D stage. */
  meta4d?: number;
  depth: number;
  heads: number;
  mlpDim: number;
  /** [cls] token + learned position table (ViT), or neither and mean pooling (EfficientFormer's Meta3D stage). */
  cls: boolean;
  description?: string;
}

/**
 * A conv stem and a transformer stage: stride-2 conv-BN-ReLU layers, a 1×1 projection to the token dim, the
 * H'×W' map flattened into H'·W' tokens (row-major, as PyTorch's `flatten(2).transpose(1, 2)`), then encoders.
 */
export function buildHybrid(s: HybridSpec): GraphDoc {
  const b = new GraphBuilder({ name: s.name, input: s.input, description: s.description });
  let x = b.input();
  let [h, w] = s.input;
  s.stem.forEach((filters, i) => {
    x = convBnAct(b, x, { filters, kernel: 3, stride: 2, act: 'relu', label: `stem.${i}` });
    h = Math.ceil(h / 2);
    w = Math.ceil(w / 2);
  });
  x = conv(b, x, { filters: s.dim, kernel: 1, label: 'proj' });
  if (s.meta4d) x = b.group('meta4d', s.meta4d, () => b.add('tfm/metaformer', { mixer: 'pool', poolSize: 3, mlpRatio: 4 }, x, { label: 'meta4d.0' }));
  x = b.add('reshape/reshape', { shape: [h * w, s.dim] }, x, { label: 'tokens' });
  if (s.cls) {
    x = b.add('tfm/class_token', {}, x, { label: 'class_token' });
    x = b.add('tfm/pos_embed', { mode: 'learned' }, x, { label: 'encoder.pos_embedding' });
  }
  x = transformerStage(b, x, { depth: s.depth, heads: s.heads, mlpDim: s.mlpDim, dropout: 0, label: 'encoder.layers.encoder_layer_0' });
  x = b.add('norm/layernorm', { epsilon: 1e-6 }, x, { label: 'encoder.ln' });
  x = b.add('tfm/cls_pool', { mode: s.cls ? 'token' : 'mean' }, x, { label: s.cls ? 'cls_token' : 'mean_pool' });
  classify(b, x, s.classes, 'heads.head');
  return finish(b);
}

export const vitHybrid: Template = {
  id: 'vit_hybrid',
  name: 'Hybrid ViT (conv stem, 32×32)',
  family: 'transformer',
  task: 'classification',
  input: [32, 32, 3],
  classes: 10,
  description:
    'A conv stem in front of a tiny ViT: two 3×3 stride-2 conv-BN-ReLU layers (32 → 16 → 8), a 1×1 projection to dim 64, the 8×8 map as 64 tokens + [cls], 2 encoder blocks with 4 heads and a 128-wide MLP. The convs give back the locality a plain ViT lacks, so it learns faster on small data.',
  reference: { source: 'tests/fixtures/reference_models.py VitHybrid (torchvision Encoder)', params: 95_594, macs: 7_005_056 },
  recommended: { dataset: 'shapes', config: { batchSize: 64, optimizer: { name: 'adam', lr: 0.001 } } },
  build: () => buildHybrid({ name: 'Hybrid ViT (conv stem, 32×32)', input: [32, 32, 3], classes: 10, stem: [32, 64], dim: 64, depth: 2, heads: 4, mlpDim: 128, cls: true, description: vitHybrid.description }),
};

export const efficientFormerTiny: Template = {
  id: 'efficientformer_tiny',
  name: 'EfficientFormer-style (32×32)',
  family: 'transformer',
  task: 'classification',
  input: [32, 32, 3],
  classes: 10,
  description:
    "EfficientFormer's layout at 32×32 (note 001): a stride-2 conv stem, two Meta4D blocks (pooling token mixer, Conv+BN MLP) on the 8×8×64 map, then the map as 64 tokens through one Meta3D block (a transformer encoder, 4 heads) and mean pooling. Attention only where the map is small; the cheap pooling mixer before it.",
  reference: { source: 'tests/fixtures/reference_models.py EfficientFormerTiny (torchvision EncoderBlock)', params: 142_122, macs: 9_527_936 },
  recommended: { dataset: 'shapes', config: { batchSize: 64, optimizer: { name: 'adam', lr: 0.001 } } },
  build: () =>
    buildHybrid({ name: 'EfficientFormer-style (32×32)', input: [32, 32, 3], classes: 10, stem: [32, 64], dim: 64, meta4d: 2, depth: 1, heads: 4, mlpDim: 256, cls: false, description: efficientFormerTiny.description }),
};
