import { useMemo, useState } from 'react';
import type { SamplePrediction } from '../../../shared/training/telemetry';
import { Empty, LegendItem } from '../chartKit';
import { matchBoxes, matchSummary, samplesAtEpoch } from './detectionData';
import { MatchedOverlay, useSamples } from './samples';
import './detection.css';

/**
 * Predicted vs ground-truth boxes on the same validation images, epoch by epoch: a slider picks the epoch
 * (it follows the newest one until moved). Hits green, false positives red, missed truths orange.
 */
export function BoxesOverEpochs({ runId, history, names }: { runId: string; history: readonly { epoch: number; samples: SamplePrediction[] }[]; names: string[] }) {
  const [picked, setPicked] = useState<number | null>(null);
  const latest = history[history.length - 1]?.epoch ?? 0;
  const entry = samplesAtEpoch(history, picked ?? latest);
  const samples = useMemo(() => entry?.samples.slice(0, 16) ?? [], [entry]);
  const indices = useMemo(() => samples.map((s) => s.index), [samples.map((s) => s.index).join()]);
  const { images, error } = useSamples(runId, indices.length ? indices : null);
  if (!entry) return <Empty height={160}>The boxes appear after the first epoch.</Empty>;
  const byIndex = new Map(images?.map((im) => [im.index, im.image]));
  const epochs = history.map((h) => h.epoch);
  const at = epochs.indexOf(entry.epoch);
  return (
    <div data-testid="boxes-over-epochs" data-epoch={entry.epoch}>
      <div className="boxes-toolbar">
        <label className="boxes-epoch">
          <span className="muted">epoch</span>
          <input
            type="range"
            min={0}
            max={Math.max(0, epochs.length - 1)}
            step={1}
            value={at}
            disabled={epochs.length < 2}
            onChange={(e) => {
              const i = Number(e.target.value);
              setPicked(i === epochs.length - 1 ? null : epochs[i]);
            }}
            data-testid="boxes-epoch"
          />
          <span className="mono" data-testid="boxes-epoch-label">
            {entry.epoch} / {latest}
          </span>
          {picked !== null && (
            <button className="btn" style={{ height: 22, padding: '0 8px' }} onClick={() => setPicked(null)} title="Follow the newest epoch">
              latest
            </button>
          )}
        </label>
        <span className="boxes-legend">
          <LegendItem color="#5fd38d" label="hit (IoU ≥ 0.5, right class)" />
          <LegendItem color="#ff5c5c" label="false positive" />
          <LegendItem color="var(--muted)" label="ground truth" dashed />
          <LegendItem color="#ffa341" label="missed" dashed />
        </span>
      </div>
      {error && <div className="field-error">{error}</div>}
      <div className="det-grid large">
        {samples.map((s) => {
          const matched = matchBoxes(s.truth ?? [], s.predicted ?? []);
          const sum = matchSummary(matched);
          return (
            <figure key={s.index} className="det-sample" data-testid="boxes-sample">
              <div className="det-frame">
                {byIndex.get(s.index) ? <img src={byIndex.get(s.index)} alt={`validation image ${s.index}`} /> : <div className="det-placeholder" />}
                <MatchedOverlay matched={matched} names={names} />
              </div>
              <figcaption className="mono muted">
                #{s.index} · <span className="ok">{sum.hits} hit{sum.hits === 1 ? '' : 's'}</span>
                {sum.falsePositives > 0 && <span className="bad"> · {sum.falsePositives} FP</span>}
                {sum.missed > 0 && <span className="warn"> · {sum.missed} missed</span>}
              </figcaption>
            </figure>
          );
        })}
      </div>
    </div>
  );
}
