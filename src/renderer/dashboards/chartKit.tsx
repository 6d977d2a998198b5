import { useEffect, useState, type ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ramp } from './LayerPicker';
import { formatNumber, formatPercent } from '../core/format';
import { axisNote, type ValueAxis } from '../core/axis';

/** Shared chart styling: colours come from CSS variables (both themes), numbers in a compact form. */

export const SERIES = ['var(--series-1)', 'var(--series-2)', 'var(--series-3)', 'var(--series-4)', 'var(--series-5)', 'var(--series-6)', 'var(--series-7)', 'var(--series-8)'];
export const seriesColor = (i: number): string => SERIES[i % SERIES.length];

export const AXIS = {
  stroke: 'var(--border-strong)',
  tick: { fill: 'var(--muted)', fontSize: 10 },
  tickLine: false,
} as const;

export const GRID = { stroke: 'var(--grid)', strokeDasharray: '2 3' } as const;

export const TOOLTIP = {
  contentStyle: { background: 'var(--raised)', border: '1px solid var(--border-strong)', borderRadius: 6, fontSize: 11, padding: '6px 8px', boxShadow: 'var(--shadow)' },
  labelStyle: { color: 'var(--muted)', marginBottom: 2 },
  itemStyle: { padding: 0, color: 'var(--text)' },
  isAnimationActive: false,
  cursor: { stroke: 'var(--border-strong)' },
} as const;

/** Full card width, re-measured on resize, with the dashboards' margins (the y axis labels sit in its 44 px). */
const CHART_FRAME = { style: { width: '100%' }, responsive: true, margin: { top: 8, right: 14, bottom: 0, left: -8 } };

/**
 * A line chart over training steps in the dashboards' style: x `step` over the data's range, y as numbers (or
 * percentages with `percent`), a tooltip titled `step N` naming each series with `seriesName`. Series go in as children.
 */
export function StepLineChart({ data, height, percent, yDomain, seriesName, children }: { data: readonly object[]; height: number; percent?: boolean; yDomain?: [number, number | 'auto']; seriesName?: (name: string | number | undefined) => ReactNode; children: ReactNode }) {
  return (
    <LineChart data={data as object[]} height={height} {...CHART_FRAME}>
      <CartesianGrid {...GRID} />
      <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} {...AXIS} />
      <YAxis {...AXIS} {...(yDomain ? { domain: yDomain } : {})} tickFormatter={(x: number) => (percent ? `${Math.round(x * 100)}%` : fmt(x, 2))} width={44} />
      <Tooltip {...TOOLTIP} formatter={(x, n) => [percent ? pct(x as number) : fmt(x as number), seriesName ? seriesName(n) : n]} labelFormatter={(l) => `step ${l}`} />
      {children}
    </LineChart>
  );
}

/** One line per layer (`dataKey` = its key), the selected one in the accent colour and thicker, the others on a ramp and faded. */
export function layerLines(keys: readonly string[], selected: string, fadedOpacity: number): ReactNode[] {
  return keys.map((k, i) => (
    <Line key={k} dataKey={k} stroke={k === selected ? 'var(--accent)' : ramp(i, keys.length)} strokeWidth={k === selected ? 2.2 : 1.1} strokeOpacity={k === selected ? 1 : fadedOpacity} dot={false} isAnimationActive={false} />
  ));
}

/** 0.000123 → 1.2e-4, 12345 → 12.3k, 0.4567 → 0.457. */
/** Measured numbers in the dashboards: see formatNumber (one formatter everywhere). */
export const fmt = (v: number | undefined | null, digits = 3): string => formatNumber(v, digits);

export const pct = formatPercent;

/** Tick labels for log10-valued axes: −3 → 1e-3. */
export const logTick = (v: number): string => (Number.isInteger(v) ? (v === 0 ? '1' : v === 1 ? '10' : `1e${v}`) : '');

/** Integer ticks covering [lo, hi]. */
export function intTicks(lo: number, hi: number, max = 8): number[] {
  const a = Math.floor(lo);
  const b = Math.ceil(hi);
  const step = Math.max(1, Math.ceil((b - a) / max));
  const out: number[] = [];
  for (let t = a; t <= b; t += step) out.push(t);
  return out;
}

/** The current theme ('dark' | 'light'), following the document's data-theme attribute. */
export function useTheme(): string {
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme ?? 'dark');
  useEffect(() => {
    const obs = new MutationObserver(() => setTheme(document.documentElement.dataset.theme ?? 'dark'));
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => obs.disconnect();
  }, []);
  return theme;
}

/** Resolved CSS colours for canvas drawing (re-read when the theme changes). */
export function useCssColors<K extends string>(names: readonly K[]): Record<K, string> {
  const theme = useTheme();
  const [colors, setColors] = useState<Record<K, string>>(() => read(names));
  useEffect(() => setColors(read(names)), [theme]);
  return colors;
}

function read<K extends string>(names: readonly K[]): Record<K, string> {
  const cs = getComputedStyle(document.documentElement);
  return Object.fromEntries(names.map((n) => [n, cs.getPropertyValue(`--${n}`).trim() || '#888'])) as Record<K, string>;
}

export function Card({ title, info, right, children, className, testId, span }: { title: ReactNode; info?: ReactNode; right?: ReactNode; children: ReactNode; className?: string; testId?: string; span?: 1 | 2 }) {
  return (
    <section className={`dash-card ${span === 2 ? 'span-2' : ''} ${className ?? ''}`} data-testid={testId}>
      <header className="dash-card-head">
        <span className="dash-card-title">{title}</span>
        {info && <span className="dash-card-info">{info}</span>}
        <span className="spacer" />
        {right}
      </header>
      <div className="dash-card-body">{children}</div>
    </section>
  );
}

export function Empty({ children, height = 180 }: { children: ReactNode; height?: number }) {
  return (
    <div className="dash-empty" style={{ height }}>
      {children}
    </div>
  );
}

export function Segmented<T extends string>({ value, options, onChange, testId }: { value: T; options: readonly { value: NoInfer<T>; label: ReactNode; title?: string }[]; onChange(v: NoInfer<T>): void; testId?: string }) {
  return (
    <div className="segmented" role="tablist" data-testid={testId}>
      {options.map((o) => (
        <button key={o.value} role="tab" aria-selected={o.value === value} title={o.title} className={o.value === value ? 'on' : ''} data-testid={testId ? `${testId}-${o.value}` : undefined} onClick={() => onChange(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function LegendItem({ color, label, dashed }: { color: string; label: ReactNode; dashed?: boolean }) {
  return (
    <span className="legend-item">
      <span className={`legend-swatch ${dashed ? 'dashed' : ''}`} style={{ background: dashed ? undefined : color, borderColor: color }} />
      {label}
    </span>
  );
}

/** One legend entry per overlaid series, in the series colours. */
export function SeriesLegend({ series }: { series: readonly { id: string; name: string }[] }) {
  return (
    <div className="dash-foot">
      <span className="legend">
        {series.map((s, i) => (
          <LegendItem key={s.id} color={seriesColor(i)} label={s.name} />
        ))}
      </span>
    </div>
  );
}

/** Says what a clamped axis leaves out (points above the top, NaN/∞ values); nothing when all is drawn. */
export function AxisNote({ axis }: { axis: ValueAxis }) {
  const note = axisNote(axis);
  return note ? (
    <p className="dash-note axis-note" data-testid="axis-note">
      ▲ {note}
    </p>
  ) : null;
}
