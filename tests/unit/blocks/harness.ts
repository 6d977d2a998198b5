import assert from 'node:assert/strict';
import type { Shape } from '../../../src/shared/graph/types';
import { formatShape } from '../../../src/shared/blocks/shapeMath';
import { parseParams, ShapeError, type AnyBlockDef, type Cost, type InferContext } from '../../../src/shared/blocks';

/** Names the inputs 'a', 'b', 'c'… in messages, as analyze does with node names. */
export function makeCtx(inputs: readonly Shape[], graphInput: number[] = [224, 224, 3]): InferContext {
  return {
    graphInput,
    task: 'classification',
    describeInput: (i) => `'${String.fromCharCode(97 + i)}' (${formatShape(inputs[i])})`,
  };
}

function parsed(def: AnyBlockDef, raw: Record<string, unknown>) {
  const r = parseParams(def.params, raw);
  if (!r.ok) throw new Error(`params rejected: ${JSON.stringify(r.problems)}`);
  return r.params;
}

/** Runs a block like analyze does: parse params (defaults filled), infer the shape, then the cost. */
export function run(
  def: { type: string },
  inputs: readonly Shape[],
  raw: Record<string, unknown> = {},
  graphInput?: number[],
): { shape: Shape; cost: Cost } {
  const d = def as AnyBlockDef;
  const p = parsed(d, raw);
  const shape = d.inferShape(inputs, p, makeCtx(inputs, graphInput));
  return { shape, cost: d.cost(inputs, shape, p) };
}

/** Asserts inferShape throws a ShapeError with exactly this message (and param, when given). */
export function throwsShape(
  def: { type: string },
  inputs: readonly Shape[],
  raw: Record<string, unknown>,
  message: string,
  param?: string,
  graphInput?: number[],
): void {
  const d = def as AnyBlockDef;
  const p = parsed(d, raw);
  assert.throws(
    () => d.inferShape(inputs, p, makeCtx(inputs, graphInput)),
    (err: unknown) => {
      assert.ok(err instanceof ShapeError, `expected a ShapeError, got ${String(err)}`);
      assert.equal(err.message, message);
      assert.equal(err.param, param);
      return true;
    },
  );
}

/** Asserts the param specs reject `raw` with exactly these problems. */
export function rejectsParams(def: { type: string }, raw: Record<string, unknown>, problems: { param: string; message: string }[]): void {
  const r = parseParams((def as AnyBlockDef).params, raw);
  assert.equal(r.ok, false, 'params should be rejected');
  if (!r.ok) assert.deepEqual(r.problems, problems);
}
