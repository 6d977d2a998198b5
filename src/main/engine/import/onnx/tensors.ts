/** A float tensor in the lab's (TF.js) layout, keyed in a block's weights by the layer's short weight name. */
export interface Weight {
  data: Float32Array;
  shape: number[];
}

/** `data` of `shape` with its axes permuted: out axis i = in axis perm[i]. */
export function permute(data: Float32Array, shape: readonly number[], perm: readonly number[]): Weight {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  const permStrides = perm.map((p) => strides[p]);
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += idx[i] * permStrides[i];
    out[o] = data[src];
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** ONNX conv weight [O, I/g, kh, kw] → TF.js [kh, kw, I/g, O]. */
export const convKernel = (w: Float32Array, dims: readonly number[]): Weight => permute(w, dims, [2, 3, 1, 0]);

/** ONNX depthwise weight [C·M, 1, kh, kw] → TF.js depthwise [kh, kw, C, M]. */
export function depthwiseKernel(w: Float32Array, dims: readonly number[], channels: number): Weight {
  const [o, , kh, kw] = dims;
  return permute(w, [channels, o / channels, kh, kw], [2, 3, 0, 1]);
}

/**
 * A dense kernel [in, out] from an ONNX [out, in] (transposed) or [in, out] matrix; `chw` when the input was
 * flattened from an NCHW map, whose order the lab's NHWC flatten does not share: rows are reordered to match.
 */
export function denseKernel(w: Float32Array, dims: readonly number[], transposed: boolean, chw?: readonly [number, number, number]): Weight {
  const k = transposed ? permute(w, dims, [1, 0]) : { data: Float32Array.from(w), shape: [...dims] };
  if (!chw) return k;
  const [c, h, wd] = chw;
  const units = k.shape[1];
  const out = new Float32Array(k.data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < wd; x++)
      for (let ch = 0; ch < c; ch++) {
        const lab = (y * wd + x) * c + ch;
        const onnx = ch * h * wd + y * wd + x;
        out.set(k.data.subarray(onnx * units, (onnx + 1) * units), lab * units);
      }
  return { data: out, shape: k.shape };
}
