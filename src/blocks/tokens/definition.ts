import { oneOf } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock } from '../../shared/blocks/types';

export const classToken = defineBlock({
  type: 'tfm/class_token',
  title: 'Class Token',
  family: 'transformer',
  trainable: true,
  params: {},
  inferShape([x]) {
    expectRank(x, 2, 'Class Token');
    return [null, (x[1] as number) + 1, x[2]];
  },
  cost: ([x]) => ({ params: x[2] as number, macs: 0, ops: 0 }),
  doc: {
    summary: 'Prepends one learned [cls] token to the sequence; after the encoder its output summarises the image.',
    formula: '[N, D] → [N + 1, D]  (token 0 is the learned vector)',
    paramsFormula: 'D',
    flopsFormula: '0',
    use: 'ViT: Patch Embed → Class Token → Pos Embed → encoders → Cls Pool (token) → head. 196 patches + [cls] = 197×768 for ViT-B/16 at 224.',
    notes: '001',
  },
});

export const posEmbed = defineBlock({
  type: 'tfm/pos_embed',
  title: 'Position Embedding',
  family: 'transformer',
  trainable: true,
  params: {
    mode: oneOf(['learned', 'sinusoidal'], 'learned', "'learned' = a trainable N×D table (ViT); 'sinusoidal' = the fixed sin/cos table of the original Transformer."),
  },
  inferShape([x]) {
    expectRank(x, 2, 'Position Embedding');
    return x;
  },
  cost([x], _out, p) {
    const [, n, d] = x as number[];
    return { params: p.mode === 'learned' ? n * d : 0, macs: 0, ops: n * d };
  },
  doc: {
    summary: 'Adds a position code to each token, since attention by itself ignores order.',
    formula: 'y = x + PE;  sinusoidal: PE(pos, 2i) = sin(pos/10000^(2i/D)), PE(pos, 2i+1) = cos(pos/10000^(2i/D))',
    paramsFormula: "N·D if 'learned', else 0",
    flopsFormula: '0 MACs; N·D adds',
    use: "ViT learns a 1-D table (2-D variants give D/2 per axis). The table is tied to N: when the input resolution changes, the learned table must be interpolated (note 001).",
    notes: '001',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [classToken, posEmbed] as const;
