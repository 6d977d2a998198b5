import { DataError } from './errors';
import { permutation, type Rng } from './rng';
import type { SplitName } from './types';

export type SplitIndices = Record<SplitName, Int32Array>;

export interface SplitFractions {
  val: number;
  test: number;
}

export function checkFractions(f: SplitFractions): void {
  const ok = (v: number) => Number.isFinite(v) && v >= 0 && v < 1;
  if (!ok(f.val) || !ok(f.test) || f.val + f.test >= 1)
    throw new DataError('bad-options', `Split fractions must be ≥ 0 and leave room for training: val ${f.val}, test ${f.test}`);
}

/** A seeded shuffle of 0..n-1 cut into exact sizes (train first). */
export function splitBySizes(n: number, sizes: Record<SplitName, number>, rng: Rng): SplitIndices {
  if (sizes.train + sizes.val + sizes.test > n)
    throw new DataError('bad-options', `Split sizes ${sizes.train}+${sizes.val}+${sizes.test} exceed the ${n} samples`);
  const p = permutation(n, rng);
  return {
    train: p.slice(0, sizes.train),
    val: p.slice(sizes.train, sizes.train + sizes.val),
    test: p.slice(sizes.train + sizes.val, sizes.train + sizes.val + sizes.test),
  };
}

/** Seeded shuffle of 0..n-1 cut by fractions; the remainder is train. */
export function randomSplit(n: number, f: SplitFractions, rng: Rng): SplitIndices {
  checkFractions(f);
  const test = Math.round(n * f.test);
  const val = Math.round(n * f.val);
  return splitBySizes(n, { train: n - val - test, val, test }, rng);
}

/**
 * Per-class seeded split, so that small classes appear in every split in proportion. A class keeps at least
 * one training sample.
 */
export function stratifiedSplit(labels: ArrayLike<number>, numClasses: number, f: SplitFractions, rng: Rng): SplitIndices {
  checkFractions(f);
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const out: Record<SplitName, number[]> = { train: [], val: [], test: [] };
  for (const members of byClass) {
    rng.shuffle(members);
    const n = members.length;
    let test = Math.round(n * f.test);
    let val = Math.round(n * f.val);
    while (n > 0 && test + val >= n) {
      if (val >= test && val > 0) val--;
      else test--;
    }
    // Loops, not push(...slice): a class of 500k images would overflow the call stack as spread arguments.
    for (let k = 0; k < n; k++) (k < test ? out.test : k < test + val ? out.val : out.train).push(members[k]);
  }
  // Interleave classes so the unshuffled order of val/test is not grouped by class.
  return {
    train: rng.shuffle(Int32Array.from(out.train)),
    val: rng.shuffle(Int32Array.from(out.val)),
    test: rng.shuffle(Int32Array.from(out.test)),
  };
}
