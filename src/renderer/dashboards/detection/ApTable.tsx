import type { DetectionReport } from '../../../shared/training/telemetry';
import { apTable, type ApRow } from './detectionData';

const bar = (v: number | null, cls: string) =>
  v === null ? (
    <span className="muted">—</span>
  ) : (
    <span className="pc-cell">
      <span className={`pc-bar ${cls}`} style={{ width: `${Math.round(v * 100)}%` }} />
      <span className="mono">{v.toFixed(3)}</span>
    </span>
  );

/** Per-class AP@0.5, AP@[.5:.95], recall at IoU 0.5, ground-truth and prediction counts. */
export function ApTable({ report, names }: { report: DetectionReport; names: string[] }) {
  const { rows, mean } = apTable(report, names);
  const cells = (r: Omit<ApRow, 'classId' | 'name'>) => (
    <>
      <td>{bar(r.ap50, 'p')}</td>
      <td>{bar(r.ap, 'f')}</td>
      <td>{bar(r.recall, 'r')}</td>
      <td className="mono">{r.numGroundTruth}</td>
      <td className="mono">{r.numDetections}</td>
    </>
  );
  return (
    <table className="per-class ap-table" data-testid="ap-table">
      <thead>
        <tr>
          <th>class</th>
          <th title="Area under the interpolated precision–recall curve (COCO 101 points), a prediction counting when IoU ≥ 0.5">AP@0.5</th>
          <th title="AP averaged over the IoU thresholds 0.5, 0.55, …, 0.95 (COCO)">AP@[.5:.95]</th>
          <th title="Share of the ground-truth boxes found at IoU ≥ 0.5 (up to the max detections per image)">recall@0.5</th>
          <th title="Ground-truth boxes in the evaluated images">#GT</th>
          <th title="Predicted boxes after NMS (all scores above the score threshold)">#predictions</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.classId} data-testid={`ap-row-${r.classId}`}>
            <td>{r.name}</td>
            {cells(r)}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td title="Means over the classes with ground truth: mAP@0.5, mAP@[.5:.95], mean recall">mean</td>
          {cells(mean)}
        </tr>
      </tfoot>
    </table>
  );
}
