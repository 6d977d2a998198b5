import { useSyncExternalStore } from 'react';
import { HEAT_LEGEND, gradientHeat } from '../telemetry/heat';
import { useTelemetryStore } from '../telemetry/react';

/**
 * Over the editor's canvas while a run has gradient probes: what the node colours mean, the step they come
 * from, and a switch to turn the colouring off.
 */
export function GradientLegend({ onOpen }: { onOpen(): void }) {
  const store = useTelemetryStore();
  const info = useSyncExternalStore(store.subscribe, () => {
    const run = store.current();
    const heat = store.overlayFitsEditor(run) ? gradientHeat(run) : undefined;
    return heat?.size ? `${run?.latestProbe?.step ?? 0}|${store.showHeat ? 1 : 0}|${[...heat.values()].filter((h) => h.status === 'vanished').length}` : '';
  });
  if (!info) return null;
  const [step, on, vanished] = info.split('|');
  const stops = HEAT_LEGEND.map((h, i) => `${h.color} ${(i / (HEAT_LEGEND.length - 1)) * 100}%`).join(', ');
  return (
    <div className="heat-legend" data-testid="heat-legend">
      <div className="heat-legend-head">
        <label className="tp-check" style={{ margin: 0 }}>
          <input type="checkbox" checked={on === '1'} onChange={(e) => store.setShowHeat(e.target.checked)} data-testid="heat-toggle" />
          <b>Gradient norm</b>
        </label>
        <span className="muted">step {step}</span>
      </div>
      {on === '1' && (
        <>
          <span className="scale-grad" style={{ background: `linear-gradient(90deg, ${stops})` }} />
          <div className="heat-legend-ticks">
            <span>≤ 1e-4×</span>
            <span>≈ output end</span>
            <span>≥ 100×</span>
          </div>
          <div className="muted">blue: vanished · green: healthy · red: exploding</div>
          {Number(vanished) > 0 && <div style={{ color: 'var(--series-6)' }}>{vanished} block{vanished === '1' ? '' : 's'} with a vanished gradient</div>}
        </>
      )}
      <button className="btn small-btn" onClick={onOpen} style={{ alignSelf: 'flex-start' }}>
        Open gradient flow
      </button>
    </div>
  );
}
