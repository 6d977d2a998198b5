import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LabEvent, RunSummary } from '../../../src/shared/api';
import { ExperimentRunner, type ExperimentRuns } from '../../../src/main/experiments/runner';
import type { ExperimentEvent } from '../../../src/shared/experiments/types';

/** A RunManager without `wait` (as LabService sees it): events only, some sent before startRun resolves. */
function fakeRuns(accuracyOf: (config: Record<string, unknown>) => number): ExperimentRuns & { started: Record<string, unknown>[]; concurrent: number } {
  const listeners = new Set<(e: LabEvent) => void>();
  const emit = (e: LabEvent): void => listeners.forEach((l) => l(e));
  let n = 0;
  let running = 0;
  const self = {
    started: [] as Record<string, unknown>[],
    concurrent: 0,
    onEvent(l: (e: LabEvent) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async startRun(a: { project: string; dataset: string; config: Record<string, unknown> }): Promise<RunSummary> {
      const id = `run-${++n}`;
      self.started.push(a.config);
      running++;
      self.concurrent = Math.max(self.concurrent, running);
      const summary = (state: RunSummary['state'], epoch: number): RunSummary => ({ id, name: id, state, createdAt: '', dataset: a.dataset, epoch, epochs: 1, step: 4 });
      emit({ type: 'probe', runId: id, step: 0, epoch: 1, layers: [{ node: 'a', layer: 'a', kind: 'weights', gradNorm: 1 }, { node: 'b', layer: 'b', kind: 'weights', gradNorm: 2 }] });
      setTimeout(() => {
        running--;
        emit({ type: 'run-status', run: summary('completed', 1) });
        // the epoch event trails the status, as the registry can do
        setTimeout(() => emit({ type: 'epoch', runId: id, epoch: 1, lr: 0.1, seconds: 1, train: { loss: 1, accuracy: 0.5 }, val: { loss: 1, accuracy: accuracyOf(a.config) } }), 30);
      }, 20);
      return summary('queued', 0);
    },
    async controlRun(): Promise<RunSummary> {
      throw new Error('not used');
    },
    async runDetail(): Promise<never> {
      throw new Error('not used');
    },
  };
  return self;
}

test('runner: every variant runs with its resolved config; events before startRun returns and after the end are kept', async () => {
  const runs = fakeRuns((c) => ((c.optimizer as { name: string }).name === 'sgd' ? 0.8 : 0.9));
  const events: ExperimentEvent[] = [];
  const r = await new ExperimentRunner(runs).run('optimizers', { seed: 7, overrides: { backend: 'wasm' }, onEvent: (e) => events.push(e) });
  assert.equal(runs.started.length, 4);
  assert.ok(runs.started.every((c) => c.seed === 7 && c.backend === 'wasm' && (c.schedule as { name: string }).name === 'constant'));
  assert.deepEqual(runs.started.map((c) => (c.optimizer as { name: string }).name), ['sgd', 'momentum', 'adam', 'adamw']);
  assert.equal(runs.concurrent, 1, 'one after another by default');
  assert.ok(r.variants.every((v) => v.state === 'completed' && v.epochs.length === 1 && v.probes.length === 1));
  assert.equal(r.seed, 7);
  assert.equal(r.verdict.perVariant.sgd.val_accuracy, 0.8);
  assert.equal(events.at(-1)!.result, r);
});

test('runner: concurrency interleaves variants; unknown variants are refused', async () => {
  const runs = fakeRuns(() => 0.5);
  const r = await new ExperimentRunner(runs).run('optimizers', { concurrency: 2 });
  assert.equal(runs.concurrent, 2);
  assert.deepEqual(r.variants.map((v) => v.variant), ['sgd', 'momentum', 'adam', 'adamw'], 'results stay in the experiment order');
  await assert.rejects(new ExperimentRunner(runs).run('optimizers', { variants: ['sgd', 'nope'] }), /has no variant 'nope'/);
  await assert.rejects(new ExperimentRunner(runs).run('nope'), /no experiment 'nope'/);
});
