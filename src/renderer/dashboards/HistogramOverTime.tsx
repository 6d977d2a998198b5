import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { rebin, robustRangeOf, type HistLike } from '../telemetry/hist';
import { fmt, useCssColors } from './chartKit';
import { Heatmap, ScaleBar, sequential } from './Heatmap';

/**
 * Histograms over time, like TensorBoard's: a ridgeline (one curve per probe, newest in front) or a heatmap
 * (value × step, each row normalised). All histograms are re-binned onto one value range.
 */

export interface HistFrame {
  step: number;
  hist: HistLike;
}

const BINS = 48;
const RIDGES = 28;

function useRebinned(frames: readonly HistFrame[]) {
  return useMemo(() => {
    const [lo, hi] = robustRangeOf(frames.map((f) => f.hist));
    const rows = frames.map((f) => rebin(f.hist, lo, hi, BINS));
    return { lo, hi, rows };
  }, [frames]);
}

function HistHeatmap({ frames, height, valueLabel }: { frames: readonly HistFrame[]; height: number; valueLabel: string }) {
  const { lo, hi, rows } = useRebinned(frames);
  const values = useMemo(() => {
    const out = new Float64Array(rows.length * BINS);
    rows.forEach((r, i) => {
      let m = 0;
      for (const v of r) m = Math.max(m, v);
      for (let b = 0; b < BINS; b++) out[i * BINS + b] = m > 0 ? r[b] / m : 0;
    });
    return out;
  }, [rows]);
  const rowLabel = useCallback((r: number) => `step ${frames[r]?.step ?? ''}`, [frames]);
  const colLabel = useCallback((c: number) => fmt(lo + ((c + 0.5) * (hi - lo)) / BINS, 2), [lo, hi]);
  const describe = useCallback((r: number, c: number, v: number) => (
    <>
      <b>step {frames[r]?.step}</b>
      <div>
        {valueLabel} ≈ {fmt(lo + ((c + 0.5) * (hi - lo)) / BINS)}
      </div>
      <div className="muted">density {(v * 100).toFixed(0)}% of the row's peak</div>
    </>
  ), [frames, lo, hi, valueLabel]);
  const color = useCallback((v: number) => sequential(Math.sqrt(v)), []);
  return (
    <>
      <Heatmap rows={rows.length} cols={BINS} values={values} color={color} rowLabel={rowLabel} colLabel={colLabel} describe={describe} height={height} gutter={70} xTitle={valueLabel} />
      <div className="dash-foot">
        <ScaleBar lo={0} hi={1} color={(t) => sequential(Math.sqrt(t))} format={(v) => (v === 0 ? 'rare' : 'peak')} label="density" />
        <span className="muted">older ↑ · newer ↓</span>
      </div>
    </>
  );
}

function Ridgeline({ frames, height, valueLabel }: { frames: readonly HistFrame[]; height: number; valueLabel: string }) {
  const shown = useMemo(() => {
    if (frames.length <= RIDGES) return frames;
    const out: HistFrame[] = [];
    for (let i = 0; i < RIDGES; i++) out.push(frames[Math.round((i * (frames.length - 1)) / (RIDGES - 1))]);
    return out;
  }, [frames]);
  const { lo, hi, rows } = useRebinned(shown);
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(500);
  const css = useCssColors(['accent', 'muted', 'border', 'panel'] as const);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, el.clientWidth)));
    ro.observe(el);
    setWidth(Math.max(200, el.clientWidth));
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    const cv = canvas.current;
    const ctx = cv?.getContext('2d');
    if (!cv || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    cv.width = Math.floor(width * dpr);
    cv.height = Math.floor(height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const left = 70;
    const right = 8;
    const bottom = 22;
    const top = 34;
    const plotW = width - left - right;
    const n = rows.length;
    if (n === 0) return;
    const gap = n > 1 ? (height - bottom - top) / (n - 1) : 0;
    const amp = Math.max(gap * 2.4, 26);
    let peak = 0;
    for (const r of rows) for (const v of r) peak = Math.max(peak, v);
    ctx.font = '10px Inter, system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    const labelEvery = Math.max(1, Math.ceil(12 / Math.max(1, gap)));
    for (let i = 0; i < n; i++) {
      const base = top + i * gap;
      const r = rows[i];
      const t = n > 1 ? i / (n - 1) : 1;
      ctx.beginPath();
      ctx.moveTo(left, base);
      for (let b = 0; b < BINS; b++) ctx.lineTo(left + ((b + 0.5) / BINS) * plotW, base - (peak > 0 ? (r[b] / peak) * amp : 0));
      ctx.lineTo(left + plotW, base);
      ctx.closePath();
      ctx.globalAlpha = 1;
      ctx.fillStyle = css.panel;
      ctx.fill();
      ctx.globalAlpha = 0.15 + 0.55 * t;
      ctx.fillStyle = css.accent;
      ctx.fill();
      ctx.globalAlpha = 0.5 + 0.5 * t;
      ctx.strokeStyle = css.accent;
      ctx.lineWidth = 1;
      ctx.stroke();
      ctx.globalAlpha = 1;
      if (i % labelEvery === 0 || i === n - 1) {
        ctx.fillStyle = css.muted;
        ctx.fillText(`${shown[i].step}`, left - 6, base);
      }
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillStyle = css.muted;
    for (let k = 0; k <= 4; k++) {
      ctx.textAlign = k === 0 ? 'left' : k === 4 ? 'right' : 'center';
      ctx.fillText(fmt(lo + ((hi - lo) * k) / 4, 2), left + (plotW * k) / 4, height - bottom + 6);
    }
    ctx.textAlign = 'left';
    ctx.fillText('step', 4, 2);
  }, [rows, shown, width, height, css, lo, hi]);
  return (
    <div className="ridgeline" ref={wrap} style={{ height }} data-testid="ridgeline" aria-label={`${valueLabel} histograms over ${frames.length} probes`}>
      <canvas ref={canvas} style={{ width, height }} />
    </div>
  );
}

function HistogramOverTimeView({ frames, mode, height, valueLabel }: { frames: readonly HistFrame[]; mode: 'ridgeline' | 'heatmap'; height: number; valueLabel: string }) {
  if (frames.length === 0) return <div className="dash-empty" style={{ height }}>No probe yet.</div>;
  return mode === 'heatmap' ? <HistHeatmap frames={frames} height={height - 24} valueLabel={valueLabel} /> : <Ridgeline frames={frames} height={height} valueLabel={valueLabel} />;
}

export const HistogramOverTime = memo(HistogramOverTimeView);
