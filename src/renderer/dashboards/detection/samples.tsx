import { useEffect, useState } from 'react';
import type { SampleImages } from '../../../shared/api';
import type { SampleBox } from '../../../shared/training/telemetry';
import { useDashLinks } from '../links';
import type { MatchedBoxes } from './detectionData';

/** Fetches validation images of a run by index (cached per run). */
export function useSamples(runId: string, indices: readonly number[] | null): { images: SampleImages['images'] | null; error: string | null } {
  const { lab } = useDashLinks();
  const [state, setState] = useState<{ key: string; images: SampleImages['images'] | null; error: string | null }>({ key: '', images: null, error: null });
  const key = indices ? `${runId}:${indices.join(',')}` : '';
  useEffect(() => {
    if (!indices || !lab) return;
    let cancelled = false;
    setState({ key, images: null, error: null });
    lab.runSamples({ id: runId, indices: [...indices] }).then(
      (r) => !cancelled && setState({ key, images: r.images, error: null }),
      (e: Error) => !cancelled && setState({ key, images: null, error: e.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [key, lab, runId]);
  if (!lab) return { images: null, error: 'Not connected to a host.' };
  return state.key === key ? { images: state.images, error: state.error } : { images: null, error: null };
}

/** Boxes over an image in a 0–100 SVG viewBox: ground truth dashed, predictions solid with class and score. */
export function BoxesOverlay({ boxes, names, kind }: { boxes: SampleBox[]; names: string[]; kind: 'truth' | 'pred' }) {
  return (
    <>
      {boxes.map((b, i) => (
        <g key={`${kind}${i}`} className={`box ${kind}`}>
          <rect x={(b.x - b.w / 2) * 100} y={(b.y - b.h / 2) * 100} width={b.w * 100} height={b.h * 100} />
          {kind === 'pred' && (
            <text x={(b.x - b.w / 2) * 100 + 1} y={Math.max(6, (b.y - b.h / 2) * 100 - 1.5)}>
              {names[b.cls] ?? b.cls} {b.score !== undefined ? Math.round(b.score * 100) : ''}
            </text>
          )}
        </g>
      ))}
    </>
  );
}

/** Matched boxes: hits green, false positives red, found truths dashed white, missed truths dashed orange. */
export function MatchedOverlay({ matched, names }: { matched: MatchedBoxes; names: string[] }) {
  const rect = (b: SampleBox) => ({ x: (b.x - b.w / 2) * 100, y: (b.y - b.h / 2) * 100, width: b.w * 100, height: b.h * 100 });
  return (
    <svg viewBox="0 0 100 100" preserveAspectRatio="none">
      {matched.truth.map((t, i) => (
        <g key={`t${i}`} className={`box truth ${t.found ? 'found' : 'missed'}`} data-testid={t.found ? 'box-truth-found' : 'box-truth-missed'}>
          <rect {...rect(t.box)} />
          <title>{`${names[t.box.cls] ?? t.box.cls} (ground truth, ${t.found ? 'found' : 'missed'})`}</title>
        </g>
      ))}
      {matched.predicted.map((p, i) => {
        const r = rect(p.box);
        return (
          <g key={`p${i}`} className={`box pred ${p.hit ? 'hit' : 'fp'}`} data-testid={p.hit ? 'box-hit' : 'box-fp'}>
            <rect {...r} />
            <text x={r.x + 1} y={r.y > 7 ? r.y - 1.5 : r.y + r.height + 5.5}>
              {names[p.box.cls] ?? p.box.cls} {p.box.score !== undefined ? Math.round(p.box.score * 100) : ''}
            </text>
            <title>{`${names[p.box.cls] ?? p.box.cls} ${p.box.score !== undefined ? `score ${p.box.score.toFixed(2)}` : ''}: ${p.hit ? `hit (IoU ${p.iou.toFixed(2)})` : p.iou > 0 ? `false positive (best same-class IoU ${p.iou.toFixed(2)})` : 'false positive'}`}</title>
          </g>
        );
      })}
    </svg>
  );
}
