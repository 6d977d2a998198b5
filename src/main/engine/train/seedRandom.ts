import { rngFor } from '../data/rng';

/**
 * tfjs draws the seed of every unseeded random op (dropout masks, drop-path) from Math.random. A run's worker
 * thread (and each of its replica threads) serves that run alone, so seeding Math.random there makes those masks
 * follow the run's seed: the same seed and thread count give the same run.
 */
export function seedMathRandom(...parts: (number | string)[]): void {
  const rng = rngFor('math-random', ...parts);
  Math.random = () => rng.next();
}
