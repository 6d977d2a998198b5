import type { SkippedFile } from '../../shared/importReport';
import { skippedHeadline } from '../../shared/importReport';
import { Icon } from '../app/Icon';
import './skipped.css';

/**
 * The files a folder import left out, each with its reason (the Train panel's dataset summary and a run's page).
 * Open when the list is short; `total` beyond the listed ones is counted.
 */
export function SkippedFiles({ skipped, total = skipped.length, warnings = [], testId = 'skipped-files' }: { skipped: readonly SkippedFile[]; total?: number; warnings?: readonly string[]; testId?: string }) {
  if (total === 0 && warnings.length === 0) return null;
  const more = total - skipped.length;
  return (
    <div className="skipped" data-testid={testId}>
      {warnings.map((w, i) => (
        <div key={i} className="skipped-warning" data-testid="import-warning">
          <Icon name="warning" size={11} /> {w}
        </div>
      ))}
      {total > 0 && (
        <details open={total <= 8}>
          <summary>
            <Icon name="warning" size={11} /> {skippedHeadline(total)} while importing
          </summary>
          <ul className="skipped-list">
            {skipped.map((s, i) => (
              <li key={i} data-testid="skipped-file">
                <span className="mono skipped-path" title={s.path}>
                  {s.path}
                  {s.line !== undefined ? `:${s.line}` : ''}
                </span>
                <span className="skipped-reason">{s.reason}</span>
              </li>
            ))}
            {more > 0 && <li className="muted">… and {more.toLocaleString()} more</li>}
          </ul>
        </details>
      )}
    </div>
  );
}
