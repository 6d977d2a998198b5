/** What a folder import left out, and why: shown in the Train panel, on a run's page and by the CLI. */

/** A file (or one line of a label file) the importer skipped. `path` is relative to the dataset folder. */
export interface SkippedFile {
  path: string;
  /** 1-based line number, for label files. */
  line?: number;
  reason: string;
}

/** The skipped files (at most MAX_SKIPPED_LISTED of them), how many there were in all, and other notes. */
export interface ImportReport {
  skipped: SkippedFile[];
  skippedTotal: number;
  warnings: string[];
}

/** Skipped files listed in an import report; the rest are counted in `skippedTotal`. */
export const MAX_SKIPPED_LISTED = 500;

export function importReportOf(skipped: readonly SkippedFile[], warnings: readonly string[]): ImportReport {
  return { skipped: skipped.slice(0, MAX_SKIPPED_LISTED), skippedTotal: skipped.length, warnings: [...warnings] };
}

/** `path:line: reason`. */
export function describeSkipped(s: SkippedFile): string {
  return `${s.path}${s.line !== undefined ? `:${s.line}` : ''}: ${s.reason}`;
}

/** "2 files were skipped" / "1 file was skipped". */
export function skippedHeadline(total: number): string {
  return `${total} file${total === 1 ? ' was' : 's were'} skipped`;
}
