import type { Shape } from '../../shared/graph/types';
import { formatShape } from '../../shared/blocks/shapeMath';

/** 1234 → `1.23k`, 11_689_512 → `11.7M`. */
export function formatCount(n: number): string {
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, u] of units) if (a >= v) return `${trim(n / v)}${u}`;
  return String(n);
}

/** FLOPs with a G/M/k prefix: `1.82 GFLOPs`. */
export function formatFlops(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e12) return `${trim(n / 1e12)} TFLOPs`;
  if (a >= 1e9) return `${trim(n / 1e9)} GFLOPs`;
  if (a >= 1e6) return `${trim(n / 1e6)} MFLOPs`;
  if (a >= 1e3) return `${trim(n / 1e3)} kFLOPs`;
  return `${Math.round(n)} FLOPs`;
}

/** Compact FLOPs for node badges: `3.5M`. */
export const formatFlopsShort = (n: number): string => formatCount(n);

/** `7.87e20`, `1.2e-5`: a mantissa of `digits` significant digits (trailing zeros dropped) and a plain exponent. */
export function formatExponent(v: number, digits = 3): string {
  const [m, e] = v.toExponential(Math.max(0, digits - 1)).split('e');
  return `${m.includes('.') ? m.replace(/\.?0+$/, '') : m}e${Number(e)}`;
}

/**
 * The one formatter for measured numbers (losses, metrics, norms, learning rates): `digits` significant digits
 * from 0.001 to 10,000; `12.3k` and `188k` below a million; exponent notation beyond (`7.87e20`, `3e-5`), so
 * a diverging loss never prints as a 20-digit "k" number; `NaN`, `∞` and `−∞` as such; `—` for no value.
 */
export function formatNumber(v: number | null | undefined, digits = 3): string {
  if (v === undefined || v === null) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e6 || a < 1e-3) return formatExponent(v, Math.min(digits, 3));
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return String(+v.toPrecision(digits));
}

/** A fraction as a percentage (`10.3%`); NaN and ∞ as formatNumber writes them. */
export const formatPercent = (v: number | null | undefined, digits = 1): string => (v === undefined || v === null ? '—' : Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : formatNumber(v));

/** A chart's tick label: like formatNumber with fewer digits (ticks are round numbers). */
export const formatTick = (v: number): string => formatNumber(v, 2);

export function formatBytes(n: number): string {
  const a = Math.abs(n);
  if (a >= 1024 ** 3) return `${trim(n / 1024 ** 3)} GiB`;
  if (a >= 1024 ** 2) return `${trim(n / 1024 ** 2)} MiB`;
  if (a >= 1024) return `${trim(n / 1024)} KiB`;
  return `${n} B`;
}

function trim(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, '');
}

export const shapeText = (s: Shape | undefined): string => (s ? formatShape(s) : '—');

export function formatParamValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential().replace(/\.?0+e/, 'e');
    return String(+v.toPrecision(4));
  }
  return String(v);
}

/** How long ago an ISO time was: 'just now', '5 min ago', '3 h ago', else the date. */
export function ago(iso: string): string {
  const d = (Date.now() - new Date(iso).getTime()) / 1000;
  if (!Number.isFinite(d)) return '';
  if (d < 60) return 'just now';
  if (d < 3600) return `${Math.floor(d / 60)} min ago`;
  if (d < 86400) return `${Math.floor(d / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}
