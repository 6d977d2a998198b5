/** A model file the importer cannot take, with a message for the user (CLI and UI show it as is). */
export class OnnxImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxImportError';
  }
}
