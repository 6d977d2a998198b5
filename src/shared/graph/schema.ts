import { z } from 'zod';
import { lrMultiplierSchema } from './lrMultiplier';
import { NODE_INITS, TASKS } from './types';

const id = z.string().min(1, 'must be a non-empty string');
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** The document as read from disk: lenient where restore can repair (positions, ids, groups). */
export const looseGraphSchema = z.object({
  schemaVersion: z.number().int(),
  meta: z.object({
    name: z.string().default('Untitled'),
    task: z.enum(TASKS).default('classification'),
    input: z.object({ shape: z.array(z.number().int().min(1, 'input dimensions must be ≥ 1')).min(1).max(4) }),
    description: z.string().optional(),
    weights: z.object({ from: z.string().min(1).max(4096), label: z.string().max(500) }).optional(),
  }),
  nodes: z.array(
    z.object({
      id,
      type: z.string().min(1, 'must name a block type'),
      v: z.number().int().min(1).optional(),
      label: z.string().optional(),
      params: z.record(z.string(), z.unknown()).default({}),
      position: z.object({ x: finite, y: finite }).optional(),
      group: z.string().optional(),
      init: z.enum(NODE_INITS).optional(),
      frozen: z.boolean().optional(),
      lrMultiplier: lrMultiplierSchema.optional(),
    }),
  ),
  edges: z.array(
    z.object({
      id: z.string().optional(),
      source: id,
      sourcePort: z.string().default('out'),
      target: id,
      targetPort: z.string().default('in'),
    }),
  ),
  groups: z
    .array(
      z.object({
        id,
        name: z.string().default('Group'),
        repeat: z.number().int().min(1, 'repeat must be ≥ 1').max(64, 'repeat must be ≤ 64').default(1),
        collapsed: z.boolean().default(false),
      }),
    )
    .default([]),
});
export type LooseGraph = z.infer<typeof looseGraphSchema>;
