import type { AnyBlockDef } from '../../shared/blocks';
import { formatParamValue } from '../core/format';

/** The one-line parameter summary on a node: the first few parameters, `filters 64 · kernel 3 · stride 2`. */
export function paramSummary(def: AnyBlockDef, params: Record<string, unknown>, max = 3): string {
  const parts: string[] = [];
  for (const [name, spec] of Object.entries(def.params)) {
    if (parts.length >= max) break;
    if (spec.kind === 'bool') continue;
    const v = params[name] ?? spec.default;
    parts.push(`${spec.label ?? name} ${formatParamValue(v)}`);
  }
  return parts.join(' · ');
}
