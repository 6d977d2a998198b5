/** Human-readable numbers for tables: 11,689,512 and 1.82 G. */
export function withCommas(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function siUnits(n: number, digits = 2): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'K']];
  for (const [scale, unit] of units) if (Math.abs(n) >= scale) return `${(n / scale).toFixed(digits)} ${unit}`;
  return String(Math.round(n));
}

export function table(rows: string[][], alignRight: readonly number[] = []): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (alignRight.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

/** A loss for the terminal: 4 decimals in the usual range; exponent notation when huge or tiny (a diverging run's 1.2669e+15); NaN and ±Infinity as such. */
export function lossText(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-4) ? v.toExponential(4) : v.toFixed(4);
}
