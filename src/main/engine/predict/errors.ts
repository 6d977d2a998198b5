/** A predict request that cannot be answered: a missing run or checkpoint, an unreadable image, an unknown layer or class. */
export class PredictError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'no-checkpoint' | 'not-image' | 'bad-layer' | 'bad-class' | 'bad-sample' | 'unsupported' = 'not-found',
  ) {
    super(message);
    this.name = 'PredictError';
  }
}
