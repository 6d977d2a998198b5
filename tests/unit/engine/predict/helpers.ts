import type * as tf from '@tensorflow/tfjs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveToMemory } from '../../../../src/main/engine/compile/artifacts';
import { checkpointModelFiles, writeCheckpoint } from '../../../../src/main/runs/checkpoints';
import type { RunRecord } from '../../../../src/shared/runs/runRecord';
import type { GraphDoc } from '../../../../src/shared/graph/types';

/** A run folder as the registry writes it, with checkpoint `best` when a model is given. */
export async function fakeRun(runs: string, id: string, graph: GraphDoc, opts: { model?: tf.LayersModel; dataset?: string; config?: Record<string, unknown> } = {}): Promise<string> {
  const dir = join(runs, id);
  mkdirSync(dir, { recursive: true });
  if (opts.model) {
    const files = checkpointModelFiles(await saveToMemory(opts.model));
    await writeCheckpoint(dir, 'best', { ...files, optimizer: { name: 'adam', step: 1, slots: {} }, progress: { epoch: 1, step: 1, metric: 0 } });
  }
  const now = new Date().toISOString();
  const record: RunRecord = {
    id,
    name: id,
    createdAt: now,
    updatedAt: now,
    state: opts.model ? 'completed' : 'running',
    dataset: opts.dataset ?? 'mnist',
    epoch: 1,
    epochs: 1,
    step: 1,
    fallbackOps: [],
    checkpoints: opts.model ? { best: 'best', last: 'best' } : {},
    config: opts.config ?? {},
    graph,
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record));
  return dir;
}
