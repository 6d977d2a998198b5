import { z } from 'zod';

/** Declarative block parameters: one spec drives the zod schema, the defaults and the inspector form. */
interface SpecBase<K extends string, T> {
  kind: K;
  default: T;
  label?: string;
  help: string;
  /**
   * What actually applies when the stored value is a placeholder or is overridden by another parameter
   * (stride 0 means the window size; pad is ignored unless padding is 'explicit'), as text for the node and the
   * inspector; `locked`: the value cannot apply at all, so the inspector does not offer to edit it.
   */
  effective?: (params: Record<string, unknown>) => { text: string; locked?: boolean } | undefined;
}
export interface IntSpec extends SpecBase<'int', number> {
  min?: number;
  max?: number;
}
export interface FloatSpec extends SpecBase<'float', number> {
  min?: number;
  max?: number;
  step?: number;
}
export interface EnumSpec<O extends string = string> extends SpecBase<'enum', O> {
  options: readonly O[];
}
export type BoolSpec = SpecBase<'bool', boolean>;
export interface IntsSpec extends SpecBase<'ints', number[]> {
  min?: number;
}
export type ParamSpec = IntSpec | FloatSpec | EnumSpec | BoolSpec | IntsSpec;
export type ParamSpecs = Record<string, ParamSpec>;

export type ParamsOf<S extends ParamSpecs> = { [K in keyof S]: S[K]['default'] };

type Opts<T extends ParamSpec> = Omit<T, 'kind' | 'default' | 'help' | 'options'>;
export const int = (d: number, help: string, o: Opts<IntSpec> = {}): IntSpec => ({ kind: 'int', default: d, help, ...o });
export const float = (d: number, help: string, o: Opts<FloatSpec> = {}): FloatSpec => ({ kind: 'float', default: d, help, ...o });
export const bool = (d: boolean, help: string, o: Opts<BoolSpec> = {}): BoolSpec => ({ kind: 'bool', default: d, help, ...o });
export const ints = (d: number[], help: string, o: Opts<IntsSpec> = {}): IntsSpec => ({ kind: 'ints', default: d, help, ...o });
export function oneOf<const O extends string>(options: readonly O[], d: NoInfer<O>, help: string, o: Opts<EnumSpec<O>> = {}): EnumSpec<O> {
  return { kind: 'enum', options, default: d, help, ...o };
}

function specSchema(spec: ParamSpec): z.ZodType {
  switch (spec.kind) {
    case 'int': {
      let s = z.number().int();
      if (spec.min !== undefined) s = s.min(spec.min, `must be ≥ ${spec.min}`);
      if (spec.max !== undefined) s = s.max(spec.max, `must be ≤ ${spec.max}`);
      return s;
    }
    case 'float': {
      let s = z.number().refine(Number.isFinite, 'must be a finite number');
      if (spec.min !== undefined) s = s.refine((v) => v >= spec.min!, `must be ≥ ${spec.min}`);
      if (spec.max !== undefined) s = s.refine((v) => v <= spec.max!, `must be ≤ ${spec.max}`);
      return s;
    }
    case 'enum':
      return z.enum(spec.options as [string, ...string[]]);
    case 'bool':
      return z.boolean();
    case 'ints': {
      let item = z.number().int();
      if (spec.min !== undefined) item = item.min(spec.min, `values must be ≥ ${spec.min}`);
      return z.array(item);
    }
  }
}

const schemaCache = new WeakMap<ParamSpecs, z.ZodType>();
export function paramsSchema(specs: ParamSpecs): z.ZodType {
  let schema = schemaCache.get(specs);
  if (!schema) {
    const shape: Record<string, z.ZodType> = {};
    for (const [name, spec] of Object.entries(specs)) shape[name] = specSchema(spec).default(spec.default as never);
    schema = z.object(shape).strict();
    schemaCache.set(specs, schema);
  }
  return schema;
}

export function defaultParams<S extends ParamSpecs>(specs: S): ParamsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = Array.isArray(spec.default) ? [...spec.default] : spec.default;
  return out as ParamsOf<S>;
}

export interface ParamProblem {
  param: string;
  message: string;
}

/** Parses params against the specs: fills defaults, reports each invalid or unknown field. */
export function parseParams<S extends ParamSpecs>(
  specs: S,
  raw: Record<string, unknown>,
): { ok: true; params: ParamsOf<S> } | { ok: false; problems: ParamProblem[] } {
  const result = paramsSchema(specs).safeParse(raw ?? {});
  if (result.success) return { ok: true, params: result.data as ParamsOf<S> };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') return { param: issue.keys.join(', '), message: `unknown parameter${issue.keys.length > 1 ? 's' : ''}` };
      const param = String(issue.path[0] ?? '');
      const msg = issue.code === 'invalid_type' ? `expected ${(issue as { expected: string }).expected}` : issue.message;
      return { param, message: msg };
    }),
  };
}
