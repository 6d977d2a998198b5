import { int } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const patchEmbed = defineBlock({
  type: 'tfm/patch_embed',
  title: 'Patch Embed',
  family: 'transformer',
  trainable: true,
  params: {
    patch: int(16, 'Patch size p: the image is cut into p×p patches, one token each. Must divide H and W.', { min: 1, max: 64 }),
    dim: int(192, 'Embedding dim D of each token (ViT-Ti 192, ViT-S 384, ViT-B 768).', { min: 1, max: 4096 }),
  },
  inferShape([x], p) {
    expectRank(x, 3, 'Patch Embed');
    const [, h, w] = x as number[];
    if (h % p.patch !== 0) throw new ShapeError(`patch ${p.patch} must divide the input height ${h}`, 'patch');
    if (w % p.patch !== 0) throw new ShapeError(`patch ${p.patch} must divide the input width ${w}`, 'patch');
    return [null, (h / p.patch) * (w / p.patch), p.dim];
  },
  cost([x], out, p) {
    const c = x[3] as number;
    const n = out[1] as number;
    const weights = p.patch * p.patch * c * p.dim;
    return { params: weights + p.dim, macs: weights * n, ops: n * p.dim };
  },
  doc: {
    summary: 'Cuts the image into non-overlapping p×p patches and projects each flattened patch to a D-dim token (a conv with kernel = stride = p).',
    formula: 'N = (H/p)·(W/p);  token = flatten(patch)·W + b;  [H, W, C] → [N, D]',
    paramsFormula: 'p²·C·D + D; e.g. ViT-B/16 on 224×224×3: 196 tokens of 16·16·3 = 768 values, 768·768 + 768 = 590,592',
    flopsFormula: '2·p²·C·D·N',
    use: 'The stem of a Vision Transformer, followed by Class Token and Pos Embed. Smaller patches give more tokens: attention cost grows with N².',
    notes: '001',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [patchEmbed] as const;
