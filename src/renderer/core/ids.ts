/** Id helpers: readable ids like the builder's (`conv2d_3`), unique within a document. */
export const idBase = (type: string): string => type.split('/').pop()!.replace(/[^a-z0-9]+/gi, '_');

export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) {
    const id = `${base}_${n}`;
    if (!taken.has(id)) return id;
  }
}

export function uniqueEdgeId(taken: ReadonlySet<string>): string {
  for (let n = taken.size + 1; ; n++) if (!taken.has(`e${n}`)) return `e${n}`;
}
