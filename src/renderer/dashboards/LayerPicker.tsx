import type { LayerMeta } from '../telemetry/probes';

/** Picks one layer (by key) of a kind, labelled by its node. */
export function LayerPicker({ layers, value, onChange, label, testId, describe }: { layers: readonly LayerMeta[]; value: string; onChange(key: string): void; label(m: LayerMeta): string; testId?: string; describe?(m: LayerMeta): string }) {
  return (
    <label className="layer-picker">
      <span className="muted">Layer</span>
      <select className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {layers.map((m, i) => (
          <option key={m.key} value={m.key}>
            {i + 1}. {label(m)}
            {describe ? ` — ${describe(m)}` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A distinct colour per channel / layer index (hue ramp), readable on both themes. */
export const ramp = (i: number, n: number): string => `hsl(${Math.round((i * 300) / Math.max(1, n))} 62% 56%)`;
