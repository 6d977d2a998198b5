import { normLut } from './normalize';
import type { Dataset, Normalization, Split } from './types';

/**
 * The dataset normalised with another mean/std (the preprocessing that pretrained weights expect) instead of
 * its own train-split statistics.
 */
export function withNormalization(dataset: Dataset, norm: Normalization): Dataset {
  const c = dataset.info.shape[2];
  if (norm.mean.length !== c || norm.std.length !== c) throw new Error(`the weights expect ${norm.mean.length}-channel images but ${dataset.info.name} has ${c} channels`);
  const lut = normLut(norm);
  const wrap = (s: Split): Split => ({
    name: s.name,
    length: s.length,
    image(i) {
      const raw = s.rawImage(i);
      const out = new Float32Array(raw.length);
      for (let k = 0; k < raw.length; k++) out[k] = lut[(k % c) * 256 + raw[k]];
      return out;
    },
    rawImage: (i) => s.rawImage(i),
    label: (i) => s.label(i),
    ...(s.boxes ? { boxes: s.boxes.bind(s) } : {}),
    ...(s.mask ? { mask: s.mask.bind(s) } : {}),
    classCounts: () => s.classCounts(),
  });
  const splits = new Map<string, Split>();
  return {
    info: dataset.info,
    norm: { mean: [...norm.mean], std: [...norm.std] },
    split(name) {
      let s = splits.get(name);
      if (!s) splits.set(name, (s = wrap(dataset.split(name))));
      return s;
    },
  };
}
