import type { GraphDoc } from '../../shared/graph/types';
import { blockParams, checkSpace, parseSpace, TRAINING_PARAMS, type Domain, type SearchSpace } from '../../shared/sweeps/space';
import { BACKENDS, OPTIMIZERS } from '../../shared/training/config';

/** One parameter row of the sweep dialog's space editor, as the user types it. */
export interface SpaceRow {
  key: string;
  enabled: boolean;
  kind: 'logUniform' | 'uniform' | 'intUniform' | 'choice';
  lo: string;
  hi: string;
  /** Comma-separated values of a choice. */
  choices: string;
}

const row = (key: string, kind: SpaceRow['kind'], a: string, b = '', enabled = false): SpaceRow => (kind === 'choice' ? { key, enabled, kind, lo: '', hi: '', choices: a } : { key, enabled, kind, lo: a, hi: b, choices: '' });

const TRAINING_DEFAULTS: Record<keyof typeof TRAINING_PARAMS, SpaceRow> = {
  lr: row('lr', 'logUniform', '1e-4', '1e-1', true),
  batchSize: row('batchSize', 'choice', '32, 64, 128'),
  optimizer: row('optimizer', 'choice', 'sgd, adam'),
  weightDecay: row('weightDecay', 'logUniform', '1e-6', '1e-2'),
  momentum: row('momentum', 'uniform', '0.5', '0.99'),
  dropout: row('dropout', 'uniform', '0', '0.5'),
  labelSmoothing: row('labelSmoothing', 'uniform', '0', '0.2'),
  epochs: row('epochs', 'choice', '1, 2, 3'),
  backend: row('backend', 'choice', 'wasm, cpu'),
  device: row('device', 'choice', 'auto, cpu'),
};

/** The rows a new sweep starts with: learning rate on, the usual settings off, dropout when the graph has one. */
export function defaultRows(graph: GraphDoc): SpaceRow[] {
  const keys: (keyof typeof TRAINING_DEFAULTS)[] = ['lr', 'batchSize', 'optimizer', 'weightDecay', ...(graph.nodes.some((n) => n.type === 'reg/dropout') ? (['dropout'] as const) : [])];
  return keys.map((k) => ({ ...TRAINING_DEFAULTS[k] }));
}

/** Every key the "add a parameter" list offers: the other training settings, then each block parameter. */
export function addableKeys(graph: GraphDoc, rows: readonly SpaceRow[]): { key: string; group: 'training' | 'block'; hint: string }[] {
  const taken = new Set(rows.map((r) => r.key));
  const training = Object.entries(TRAINING_PARAMS).filter(([k]) => !taken.has(k)).map(([key, hint]) => ({ key, group: 'training' as const, hint }));
  const blocks = blockParams(graph).filter((p) => !taken.has(p.key)).map((p) => ({ key: p.key, group: 'block' as const, hint: p.spec.help }));
  return [...training, ...blocks];
}

/** A new row for a key: training settings from their defaults, block parameters around their current value. */
export function rowFor(key: string, graph: GraphDoc): SpaceRow {
  if (Object.hasOwn(TRAINING_DEFAULTS, key)) return { ...TRAINING_DEFAULTS[key as keyof typeof TRAINING_DEFAULTS], enabled: true };
  const p = blockParams(graph).find((b) => b.key === key);
  if (!p) return row(key, 'uniform', '0', '1', true);
  const current = graph.nodes.find((n) => n.label === p.label)?.params[p.param] ?? p.spec.default;
  switch (p.spec.kind) {
    case 'enum':
      return row(key, 'choice', p.spec.options.join(', '), '', true);
    case 'bool':
      return row(key, 'choice', 'true, false', '', true);
    case 'int': {
      const v = Number(current) || 1;
      const lo = Math.max(p.spec.min ?? 1, Math.floor(v / 2));
      const hi = Math.min(p.spec.max ?? Infinity, Math.max(lo + 1, v * 2));
      return row(key, 'intUniform', String(lo), String(hi), true);
    }
    default: {
      const v = Number(current);
      return row(key, 'uniform', String(p.spec.kind === 'float' ? (p.spec.min ?? 0) : 0), String(p.spec.kind === 'float' && p.spec.max !== undefined ? p.spec.max : Math.max(1, v * 2)), true);
    }
  }
}

/** Suggested values of a choice row, for its placeholder. */
export const choiceHint = (key: string): string => (key === 'optimizer' ? OPTIMIZERS.join(', ') : key === 'backend' ? BACKENDS.join(', ') : 'a, b, c');

function parseValue(token: string): number | string | boolean {
  const t = token.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}

/** The enabled rows as a space, with the problems of each row (parse, then checked against the graph like the CLI). */
export function spaceFromRows(rows: readonly SpaceRow[], graph: GraphDoc): { space: SearchSpace | null; errors: string[] } {
  const raw: Record<string, Domain | Record<string, unknown>> = {};
  const errors: string[] = [];
  for (const r of rows.filter((x) => x.enabled)) {
    if (r.kind === 'choice') {
      const values = r.choices.split(',').map((s) => s.trim()).filter(Boolean).map(parseValue);
      raw[r.key] = { choice: values };
    } else {
      const lo = Number(r.lo);
      const hi = Number(r.hi);
      if (r.lo.trim() === '' || r.hi.trim() === '' || !Number.isFinite(lo) || !Number.isFinite(hi)) {
        errors.push(`${r.key}: low and high must be numbers`);
        continue;
      }
      raw[r.key] = { [r.kind]: [lo, hi] };
    }
  }
  if (errors.length) return { space: null, errors };
  if (Object.keys(raw).length === 0) return { space: null, errors: ['tick at least one parameter to search'] };
  const parsed = parseSpace(raw);
  if (!parsed.ok) return { space: null, errors: parsed.errors };
  const problems = checkSpace(parsed.space, graph);
  return problems.length ? { space: null, errors: problems } : { space: parsed.space, errors: [] };
}
