export type DataErrorCode =
  | 'not-found'
  | 'not-a-folder'
  | 'too-few-classes'
  | 'empty'
  | 'unknown-dataset'
  | 'bad-options'
  | 'bad-cache'
  | 'source-missing';

/** A data problem the user can act on; `message` names the folder or file and what was found. */
export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    readonly code: DataErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

export function isDataError(e: unknown): e is DataError {
  return e instanceof DataError;
}
