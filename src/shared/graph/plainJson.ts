/** How deep a graph document may nest. A real one needs about 6 levels (project → graph → nodes → node → params → value). */
export const MAX_DOCUMENT_DEPTH = 64;

/** `nodes[3].params.kernel`: how restore names a place in the document. */
export const formatDocPath = (path: readonly PropertyKey[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');

export type PlainJsonResult = { ok: true; value: unknown } | { ok: false; path: string; message: string };

/**
 * A fresh copy of `input` as plain JSON data, refused if it nests deeper than `maxDepth` or refers to itself.
 * Everything after it (migrations, zod, repairs) then works on bounded, acyclic, prototype-free data that it
 * owns, so no input can overflow the stack or be mutated. `what` ends the depth message ("a graph needs"). Like JSON.stringify, functions, symbols and
 * `undefined` are dropped from objects (and become null in arrays); bigints become numbers.
 */
export function toPlainJson(input: unknown, maxDepth = MAX_DOCUMENT_DEPTH, what = 'a graph needs'): PlainJsonResult {
  const ancestors = new Set<object>();
  const where: (string | number)[] = [];
  const path = (): string => formatDocPath(where);
  let failure: { path: string; message: string } | undefined;

  const copy = (value: unknown, depth: number): unknown => {
    if (failure) return undefined;
    if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    if (typeof value !== 'object') return undefined;
    if (depth >= maxDepth) {
      failure = { path: path(), message: `the document nests deeper than ${maxDepth} levels; ${what} far fewer` };
      return undefined;
    }
    if (ancestors.has(value)) {
      failure = { path: path(), message: 'the document refers to itself (a cycle)' };
      return undefined;
    }
    ancestors.add(value);
    let out: unknown;
    if (Array.isArray(value)) {
      const arr: unknown[] = [];
      for (let i = 0; i < value.length && !failure; i++) {
        where.push(i);
        const v = copy(value[i], depth + 1);
        where.pop();
        arr.push(v === undefined ? null : v);
      }
      out = arr;
    } else {
      const obj: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (failure) break;
        where.push(key);
        const v = copy((value as Record<string, unknown>)[key], depth + 1);
        where.pop();
        // defineProperty: a key named `__proto__` stays a plain own property, as JSON.parse makes it.
        if (v !== undefined) Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      }
      out = obj;
    }
    ancestors.delete(value);
    return out;
  };

  try {
    const value = copy(input, 0);
    return failure ? { ok: false, ...failure } : { ok: true, value };
  } catch (err) {
    // Only reachable for live objects (a getter that throws, a revoked proxy), never for parsed JSON.
    return { ok: false, path: path(), message: `the document cannot be read: ${err instanceof Error ? err.message : String(err)}` };
  }
}
