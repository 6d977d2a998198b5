import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UNITS } from '../../../src/blocks/registry';
import type { Case, UnitContract } from '../engine/compile/cases';

/**
 * The test contracts of the block units, collected from their folders: each unit's `contract.ts` (pinned params and
 * contract cases, see UnitContract) sits next to its definition, so adding a block adds no line to a test list.
 * Loading fails loudly when a unit has no contract.ts, leaves one of its block types unpinned, or pins or gives
 * cases for a type it does not define.
 */

/** Reads `<folder>/contract.ts` and checks it against the unit's block types. */
export async function loadUnitContract(folder: string, types: readonly string[]): Promise<UnitContract> {
  const file = join(folder, 'contract.ts');
  if (!existsSync(file)) throw new Error(`${file} is missing: every block unit pins its params (and lists its contract cases) there`);
  const { contract } = (await import(pathToFileURL(file).href)) as { contract?: UnitContract };
  if (!contract?.pins) throw new Error(`${file} must export \`contract: UnitContract\` with \`pins\``);
  const unpinned = types.filter((t) => !contract.pins[t]);
  if (unpinned.length) throw new Error(`${file} does not pin the params of ${unpinned.join(', ')}: add them to \`pins\``);
  const foreign = [...Object.keys(contract.pins), ...Object.keys(contract.cases ?? {})].filter((t) => !types.includes(t));
  if (foreign.length) throw new Error(`${file} lists ${[...new Set(foreign)].join(', ')}, not a block of its unit (${types.join(', ')})`);
  return contract;
}

const BLOCKS_DIR = fileURLToPath(new URL('../../../src/blocks', import.meta.url));

async function loadRegistered(): Promise<UnitContract[]> {
  const contracts: UnitContract[] = [];
  for (const unit of UNITS) {
    const { definitions } = (await import(pathToFileURL(join(BLOCKS_DIR, unit, 'definition.ts')).href)) as { definitions: readonly { type: string }[] };
    contracts.push(await loadUnitContract(join(BLOCKS_DIR, unit), definitions.map((d) => d.type)));
  }
  return contracts;
}

const registered = await loadRegistered();

/** Every registered block type with the names of all its params, in registry order. */
export const BLOCK_PARAMS: Readonly<Record<string, readonly string[]>> = Object.assign({}, ...registered.map((c) => c.pins));
/** The contract cases of every registered block type that has its own; others run with default params only. */
export const CASES: Readonly<Record<string, Case[]>> = Object.assign({}, ...registered.map((c) => c.cases ?? {}));
