import { CATALOG } from '../../blocks/catalog.generated';
import type { AnyBlockDef } from './types';

export * from './types';
export * from './params';

const catalog: AnyBlockDef[] = [...CATALOG];
const byType = new Map(catalog.map((b) => [b.type, b]));

/**
 * The block catalog, in palette order: every unit in src/blocks/registry.ts. The palette, inspector, validator,
 * compiler and exporters iterate it.
 */
export const BLOCKS: readonly AnyBlockDef[] = catalog;
export const blockByType = (type: string): AnyBlockDef | undefined => byType.get(type);

/**
 * Adds blocks from a unit outside the registry (a test's fixture unit, see docs/adding-a-block.md); the engine
 * side is registerUnit in src/main/engine/blocks. A type that is already registered is refused.
 */
export function registerBlocks(defs: readonly AnyBlockDef[]): void {
  for (const def of defs) {
    if (byType.has(def.type)) throw new Error(`block type '${def.type}' is already registered`);
    catalog.push(def);
    byType.set(def.type, def);
  }
}
