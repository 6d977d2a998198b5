export * from './space';
export * from './apply';
export * from './strategies';
export * from './pruner';
export * from './sensitivity';
export * from './types';
export { Rng } from './rng';
