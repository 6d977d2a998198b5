import assert from 'node:assert/strict';

export function assertClose(actual: number, expected: number, tol = 1e-9, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} ≠ ${expected} (±${tol})`);
}

export function assertAllClose(actual: readonly number[], expected: readonly number[], tol = 1e-9, what = ''): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => {
    if (Number.isNaN(e)) assert.ok(Number.isNaN(actual[i]), `${what}[${i}] = ${actual[i]}, expected NaN`);
    else assertClose(actual[i], e, tol, `${what}[${i}]`);
  });
}
