import type { SkippedFile } from '../../../shared/importReport';

export type DataErrorCode =
  | 'not-found'
  | 'not-a-folder'
  | 'too-few-classes'
  | 'empty'
  | 'unknown-dataset'
  | 'bad-options'
  | 'bad-cache'
  | 'source-missing'
  /** An image whose header claims more pixels than the lab decodes (a decompression bomb, or simply too big). */
  | 'image-too-large'
  /** A PNG/JPEG whose data is corrupt or truncated. */
  | 'bad-image'
  | 'unsupported-format'
  /** A FIFO, socket, device or other non-regular file where a file was expected. */
  | 'not-a-file'
  | 'file-too-large'
  /** A file or folder the file system refuses to read (permission denied, I/O error). */
  | 'unreadable'
  /** Too many images waiting to be decoded at once. */
  | 'busy'
  /** A class id or class list the lab refuses (not an integer, out of range, too many classes). */
  | 'bad-labels';

/** A data problem the user can act on; `message` names the folder or file and what was found. */
export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    readonly code: DataErrorCode,
    message: string,
    readonly path?: string,
    /** What the import skipped before it gave up (e.g. every image of a class unreadable). */
    readonly skipped?: SkippedFile[],
  ) {
    super(message);
  }
}

export function isDataError(e: unknown): e is DataError {
  return e instanceof DataError;
}
