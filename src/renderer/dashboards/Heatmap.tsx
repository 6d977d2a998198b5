import { memo, useEffect, useRef, useState, type ReactNode } from 'react';
import { useCssColors } from './chartKit';

/**
 * A canvas heatmap (charts with thousands of cells stay fast): `rows × cols` values drawn as cells through
 * `color(value)`, row labels on the left, a few column ticks below, and a hover read-out.
 */

export interface HeatmapProps {
  rows: number;
  cols: number;
  /** Row-major values (rows × cols); NaN cells are left empty. */
  values: ArrayLike<number>;
  color(v: number): string;
  rowLabel(r: number): string;
  colLabel(c: number): string;
  /** Shown on hover. */
  describe(r: number, c: number, v: number): ReactNode;
  height: number;
  /** Width of the row-label gutter. */
  gutter?: number;
  xTitle?: string;
  testId?: string;
}

function HeatmapView({ rows, cols, values, color, rowLabel, colLabel, describe, height, gutter = 110, xTitle, testId }: HeatmapProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(600);
  const [hover, setHover] = useState<{ r: number; c: number; x: number; y: number } | null>(null);
  const css = useCssColors(['muted', 'border', 'canvas'] as const);
  const bottom = 26;
  const plotH = height - bottom;

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, Math.floor(el.clientWidth))));
    ro.observe(el);
    setWidth(Math.max(200, Math.floor(el.clientWidth)));
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const cv = canvas.current;
    if (!cv) return;
    const dpr = window.devicePixelRatio || 1;
    cv.width = Math.floor(width * dpr);
    cv.height = Math.floor(height * dpr);
    const ctx = cv.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const plotW = width - gutter - 4;
    if (rows === 0 || cols === 0) return;
    const cw = plotW / cols;
    const ch = plotH / rows;
    ctx.fillStyle = css.canvas;
    ctx.fillRect(gutter, 0, plotW, plotH);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = values[r * cols + c];
        if (Number.isNaN(v)) continue;
        ctx.fillStyle = color(v);
        // Overlap by half a pixel so no seams show between cells.
        ctx.fillRect(gutter + c * cw, r * ch, cw + 0.5, ch + 0.5);
      }
    }
    ctx.font = '10px Inter, system-ui, sans-serif';
    ctx.fillStyle = css.muted;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    const everyRow = Math.max(1, Math.ceil(11 / ch));
    for (let r = 0; r < rows; r += everyRow) {
      const label = rowLabel(r);
      ctx.fillText(label.length > 17 ? `${label.slice(0, 16)}…` : label, gutter - 6, r * ch + ch / 2);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const ticks = Math.min(cols, Math.max(2, Math.floor(plotW / 80)));
    for (let i = 0; i < ticks; i++) {
      const c = ticks === 1 ? 0 : Math.round((i * (cols - 1)) / (ticks - 1));
      ctx.fillText(colLabel(c), Math.min(width - 20, Math.max(gutter + 12, gutter + (c + 0.5) * cw)), plotH + 4);
    }
    if (xTitle) {
      ctx.textAlign = 'right';
      ctx.fillText(xTitle, width - 4, plotH + 15);
    }
    ctx.strokeStyle = css.border;
    ctx.strokeRect(gutter + 0.5, 0.5, plotW - 1, plotH - 1);
  }, [rows, cols, values, color, rowLabel, colLabel, width, height, gutter, plotH, css, xTitle]);

  const onMove = (e: React.MouseEvent) => {
    const r = wrap.current!.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const plotW = width - gutter - 4;
    if (x < gutter || x > gutter + plotW || y > plotH || rows === 0 || cols === 0) return setHover(null);
    setHover({ r: Math.min(rows - 1, Math.floor((y / plotH) * rows)), c: Math.min(cols - 1, Math.floor(((x - gutter) / plotW) * cols)), x, y });
  };

  const hv = hover ? values[hover.r * cols + hover.c] : NaN;
  return (
    <div className="heatmap" ref={wrap} style={{ height }} onMouseMove={onMove} onMouseLeave={() => setHover(null)} data-testid={testId} data-rows={rows} data-cols={cols}>
      <canvas ref={canvas} style={{ width, height }} />
      {hover && !Number.isNaN(hv) && (
        <div className="heatmap-tip" style={{ left: Math.min(hover.x + 12, width - 190), top: Math.max(0, hover.y - 40) }}>
          {describe(hover.r, hover.c, hv)}
        </div>
      )}
    </div>
  );
}

export const Heatmap = memo(HeatmapView);

/** A perceptual sequential scale (viridis-like), t in [0, 1]. */
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
export function sequential(t: number): string {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return `rgb(${Math.round(a[0] + (b[0] - a[0]) * f)},${Math.round(a[1] + (b[1] - a[1]) * f)},${Math.round(a[2] + (b[2] - a[2]) * f)})`;
}

export function ScaleBar({ lo, hi, color, format, label }: { lo: number; hi: number; color(t: number): string; format(v: number): string; label?: string }) {
  const stops = Array.from({ length: 11 }, (_, i) => `${color(i / 10)} ${i * 10}%`).join(', ');
  return (
    <span className="scale-bar">
      {label && <span className="muted">{label}</span>}
      <span className="mono">{format(lo)}</span>
      <span className="scale-grad" style={{ background: `linear-gradient(90deg, ${stops})` }} />
      <span className="mono">{format(hi)}</span>
    </span>
  );
}
