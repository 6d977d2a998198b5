import { add } from './add';
import { batchNorm } from './batchnorm';
import { conv2d } from './conv2d';
import { dense } from './dense';
import { input } from './input';
import type { AnyBlockDef } from './types';

export * from './types';
export * from './params';

/** The block catalog. The palette, inspector, validator, compiler and exporters iterate it. */
export const BLOCKS: readonly AnyBlockDef[] = [input, conv2d, dense, add, batchNorm] as unknown as AnyBlockDef[];

const byType = new Map(BLOCKS.map((b) => [b.type, b]));
export const blockByType = (type: string): AnyBlockDef | undefined => byType.get(type);
