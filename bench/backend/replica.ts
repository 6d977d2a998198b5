// Replica builder for the data-parallel benchmark: each worker imports this
// module and builds the same network (see src/main/engine/backend/dataParallel).
import type { Replica } from '../../src/main/engine/backend/dataParallel/pool';
import { buildModel, lossOf, type ModelName } from './models';

export function createReplica(args: unknown): Replica {
  const { model: name } = args as { model: ModelName };
  const model = buildModel(name);
  const trainable = new Set(model.trainableWeights.map((w) => w.name));
  return {
    variables: model.trainableWeights.map((w) => w.read() as Replica['variables'][number]),
    state: model.weights.filter((w) => !trainable.has(w.name)).map((w) => w.read() as Replica['variables'][number]),
    loss: (x, y) => lossOf(model, x, y),
  };
}
