import type { AnyBlockDef } from '../../shared/blocks';
import { formatParamValue } from '../core/format';

const defaultsOf = (def: AnyBlockDef): Record<string, unknown> => Object.fromEntries(Object.entries(def.params).map(([k, spec]) => [k, spec.default]));

/** The one-line parameter summary on a node: the first few parameters, `filters 64 · kernel 3 · stride 2`. */
export function paramSummary(def: AnyBlockDef, params: Record<string, unknown>, max = 3): string {
  const parts: string[] = [];
  for (const [name, spec] of Object.entries(def.params)) {
    if (parts.length >= max) break;
    if (spec.kind === 'bool') continue;
    const v = params[name] ?? spec.default;
    const effective = spec.effective?.({ ...defaultsOf(def), ...params });
    if (effective?.locked) continue;
    parts.push(`${spec.label ?? name} ${effective ? effective.text : formatParamValue(v)}`);
  }
  return parts.join(' · ');
}
