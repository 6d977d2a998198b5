import { z } from 'zod';
import { blockByType, type ParamSpec } from '../blocks';
import type { GraphDoc } from '../graph/types';
import { BACKENDS, OPTIMIZERS, TORCH_DEVICES } from '../training/config';

/**
 * A sweep's search space: one key per parameter, each with its domain. Keys are the training settings below,
 * or `<block label>.<param>` for any block parameter of the graph (e.g. `conv1.filters`).
 */

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const range = (what: string) =>
  z
    .tuple([finite, finite], { error: () => `${what} needs [low, high]` })
    .refine(([lo, hi]) => lo < hi, `${what}: low must be below high`);

export const domainSchema = z.union([
  z.object({ logUniform: range('logUniform').refine(([lo]) => lo > 0, 'logUniform: both ends must be above 0') }).strict(),
  z.object({ uniform: range('uniform') }).strict(),
  z.object({ intUniform: range('intUniform').refine(([lo, hi]) => Number.isInteger(lo) && Number.isInteger(hi), 'intUniform: both ends must be whole numbers') }).strict(),
  z
    .object({
      choice: z
        .array(z.union([z.number(), z.string(), z.boolean()]))
        .min(1, 'choice needs at least one value')
        .max(64, 'choice takes at most 64 values')
        .refine((a) => new Set(a.map((v) => JSON.stringify(v))).size === a.length, 'choice: values must be different'),
    })
    .strict(),
], { error: () => 'a domain is one of {"logUniform": [lo, hi]}, {"uniform": [lo, hi]}, {"intUniform": [lo, hi]}, {"choice": [a, b, …]}' });

export type Domain = z.infer<typeof domainSchema>;
export type ParamValue = number | string | boolean;
export type TrialParams = Record<string, ParamValue>;

export const spaceSchema = z
  .record(z.string().min(1).max(200), domainSchema)
  .refine((s) => Object.keys(s).length > 0, 'the space needs at least one parameter')
  .refine((s) => Object.keys(s).length <= 32, 'at most 32 parameters');
export type SearchSpace = z.infer<typeof spaceSchema>;

/** The training settings a space can search, with what each sets. */
export const TRAINING_PARAMS = {
  lr: 'optimizer.lr, the learning rate',
  batchSize: 'batchSize',
  optimizer: `optimizer.name (${OPTIMIZERS.join(', ')})`,
  weightDecay: 'AdamW: optimizer.weightDecay (decoupled); other optimizers: regularization.l2',
  momentum: 'optimizer.momentum (momentum, nesterov, rmsprop)',
  dropout: 'the rate of every Dropout block',
  labelSmoothing: 'loss.labelSmoothing',
  epochs: 'epochs',
  backend: `the engine (${BACKENDS.join(', ')})`,
  device: `the PyTorch device (${TORCH_DEVICES.join(', ')})`,
} as const;
export type TrainingParam = keyof typeof TRAINING_PARAMS;
export const isTrainingParam = (k: string): k is TrainingParam => Object.hasOwn(TRAINING_PARAMS, k);

export const domainKind = (d: Domain): 'logUniform' | 'uniform' | 'intUniform' | 'choice' =>
  'logUniform' in d ? 'logUniform' : 'uniform' in d ? 'uniform' : 'intUniform' in d ? 'intUniform' : 'choice';

/** Parses a space from JSON text or a value: the space, or one message per problem (`key: what is wrong`). */
export function parseSpace(input: unknown): { ok: true; space: SearchSpace } | { ok: false; errors: string[] } {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      return { ok: false, errors: [`not valid JSON (${(err as Error).message})`] };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, errors: ['the space must be a JSON object with one key per parameter, e.g. {"lr": {"logUniform": [1e-5, 1]}}'] };
  const parsed = spaceSchema.safeParse(value);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.length ? `${i.path[0] as string}: ` : ''}${i.message}`) };
  return { ok: true, space: parsed.data };
}

/** Block parameters a space can address: `label.param` for every labelled node, with its spec. */
export function blockParams(graph: GraphDoc): { key: string; label: string; param: string; type: string; spec: ParamSpec }[] {
  const out: { key: string; label: string; param: string; type: string; spec: ParamSpec }[] = [];
  const seen = new Set<string>();
  for (const n of graph.nodes) {
    const def = blockByType(n.type);
    if (!def || !n.label || seen.has(n.label)) continue;
    seen.add(n.label);
    for (const [param, spec] of Object.entries(def.params as Record<string, ParamSpec>)) {
      if (spec.kind === 'ints') continue;
      out.push({ key: `${n.label}.${param}`, label: n.label, param, type: n.type, spec });
    }
  }
  return out;
}

const nodesByLabel = (graph: GraphDoc, label: string) => graph.nodes.filter((n) => n.label === label);

/** Every value a domain can give, when it is finite (choice, intUniform), else its two ends. */
function domainValues(d: Domain): ParamValue[] {
  if ('choice' in d) return d.choice;
  if ('intUniform' in d) return d.intUniform;
  return 'logUniform' in d ? d.logUniform : d.uniform;
}

function checkValue(key: string, spec: ParamSpec, d: Domain): string[] {
  const errs: string[] = [];
  const kind = domainKind(d);
  if (spec.kind === 'enum' || spec.kind === 'bool') {
    if (kind !== 'choice') return [`${key}: a ${spec.kind === 'enum' ? `choice of ${spec.options.join(', ')}` : 'choice of true, false'} (it is not numeric)`];
    for (const v of domainValues(d)) if (spec.kind === 'enum' ? !spec.options.includes(v as string) : typeof v !== 'boolean') errs.push(`${key}: '${String(v)}' is not one of ${spec.kind === 'enum' ? spec.options.join(', ') : 'true, false'}`);
    return errs;
  }
  if (spec.kind === 'int' && (kind === 'uniform' || kind === 'logUniform')) return [`${key}: a whole number; use intUniform or choice`];
  for (const v of domainValues(d)) {
    if (typeof v !== 'number') errs.push(`${key}: '${String(v)}' is not a number`);
    else if (spec.kind === 'int' && !Number.isInteger(v)) errs.push(`${key}: ${v} is not a whole number`);
    else if (spec.kind !== 'ints' && spec.min !== undefined && v < spec.min) errs.push(`${key}: ${v} is below its minimum ${spec.min}`);
    else if (spec.kind !== 'ints' && spec.max !== undefined && v > spec.max) errs.push(`${key}: ${v} is above its maximum ${spec.max}`);
  }
  return errs;
}

type Rule = { kind: 'number' | 'int' | 'enum'; options?: readonly string[]; min?: number; max?: number; above?: number };
const TRAINING_RULES: Record<TrainingParam, Rule> = {
  lr: { kind: 'number', above: 0 },
  batchSize: { kind: 'int', min: 1, max: 4096 },
  optimizer: { kind: 'enum', options: OPTIMIZERS },
  weightDecay: { kind: 'number', min: 0 },
  momentum: { kind: 'number', min: 0, max: 1 },
  dropout: { kind: 'number', min: 0, max: 0.95 },
  labelSmoothing: { kind: 'number', min: 0, max: 0.5 },
  epochs: { kind: 'int', min: 1, max: 10_000 },
  backend: { kind: 'enum', options: BACKENDS },
  device: { kind: 'enum', options: TORCH_DEVICES },
};

function checkTraining(key: TrainingParam, d: Domain): string[] {
  const r = TRAINING_RULES[key];
  if (r.kind === 'enum') return checkValue(key, { kind: 'enum', options: r.options!, default: r.options![0], help: '' }, d);
  const spec: ParamSpec = r.kind === 'int' ? { kind: 'int', default: 0, help: '', min: r.min, max: r.max } : { kind: 'float', default: 0, help: '', min: r.min, max: r.max };
  const errs = checkValue(key, spec, d);
  if (r.above !== undefined) for (const v of domainValues(d)) if (typeof v === 'number' && v <= r.above) errs.push(`${key}: ${v} must be above ${r.above}`);
  return errs;
}

/**
 * Checks a space against the graph it will train: every key names a training setting or a block parameter
 * (`label.param`), and every value the domain can give is allowed there. Returns the problems, one line each.
 */
export function checkSpace(space: SearchSpace, graph: GraphDoc): string[] {
  const errors: string[] = [];
  const params = blockParams(graph);
  for (const [key, d] of Object.entries(space)) {
    if (isTrainingParam(key)) {
      if (key === 'dropout' && !graph.nodes.some((n) => n.type === 'reg/dropout')) {
        errors.push(`dropout: the graph has no Dropout block; add one, or search a block's rate as '<label>.rate'`);
        continue;
      }
      errors.push(...checkTraining(key, d));
      continue;
    }
    const dot = key.lastIndexOf('.');
    const label = dot > 0 ? key.slice(0, dot) : '';
    const param = dot > 0 ? key.slice(dot + 1) : '';
    if (!label || nodesByLabel(graph, label).length === 0) {
      const labels = [...new Set(params.map((p) => p.label))];
      errors.push(`${key}: not a training setting (${Object.keys(TRAINING_PARAMS).join(', ')}) nor a block parameter '<label>.<param>'; the blocks are ${labels.join(', ') || '(none labelled)'}`);
      continue;
    }
    const forLabel = params.filter((p) => p.label === label);
    const found = forLabel.find((p) => p.param === param);
    if (!found) {
      errors.push(`${key}: block '${label}' has no parameter '${param}'; its parameters are ${forLabel.map((p) => p.param).join(', ') || '(none searchable)'}`);
      continue;
    }
    errors.push(...checkValue(key, found.spec, d));
  }
  return errors;
}
