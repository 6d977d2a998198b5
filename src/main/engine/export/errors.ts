/** An export that cannot be done (unsupported block, no checkpoint, unwritable folder): one clear message. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}
