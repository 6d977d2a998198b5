import { join } from 'node:path';
import { TWINS } from '../../../blocks/engines.generated';
import { UNITS } from '../../../blocks/registry';
import { registerBlocks, type AnyBlockDef } from '../../../shared/blocks';
import { APP_ROOT } from '../../util/version';
import type { EngineBlock } from './types';

export type { BuildCtx, EngineBlock, NodeRef } from './types';

const twins: Record<string, EngineBlock> = Object.fromEntries(TWINS.map((t) => [t.type, t]));

/** The engine twin of every block type, keyed by the BlockDef's `type`. Importing it registers the custom layers. */
export const ENGINE_BLOCKS: Readonly<Record<string, EngineBlock>> = twins;

const folders: string[] = UNITS.map((u) => join(APP_ROOT, 'src', 'blocks', u));

/** The folder of every registered unit (its Python classes are read from there: export/pytorch/prelude.ts). */
export const unitFolders = (): readonly string[] => folders;

/** A unit from outside the registry: its folder, definitions and twins (a test's fixture unit). */
export interface UnitRegistration {
  folder: string;
  definitions: readonly AnyBlockDef[];
  twins: readonly EngineBlock[];
}

/** Registers a unit from outside src/blocks/registry.ts: its blocks join the catalog, its twins the engine. */
export function registerUnit(unit: UnitRegistration): void {
  for (const t of unit.twins) if (twins[t.type]) throw new Error(`engine twin '${t.type}' is already registered`);
  registerBlocks(unit.definitions);
  for (const t of unit.twins) twins[t.type] = t;
  folders.push(unit.folder);
}
