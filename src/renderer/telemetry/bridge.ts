import { isActive } from '../../shared/runs/runRecord';
import { useEffect } from 'react';
import type { LabApi } from '../../shared/api';
import type { ActionManager } from '../actions/manager';
import { updateRun } from '../core/state';
import type { TelemetryStore } from './store';

/**
 * Wires the telemetry store to the host: one subscription for all events, and at start the run that is
 * already training on the host (a reload, or a second window) is adopted with its history.
 */
export function useTelemetryBridge(lab: LabApi | null, store: TelemetryStore, manager: ActionManager): void {
  useEffect(() => {
    if (!lab) return;
    const detach = store.attach(lab);
    let cancelled = false;
    lab.listRuns().then(
      async (runs) => {
        const active = runs.find((r) => isActive(r.state));
        if (!active || cancelled) return;
        const detail = await lab.runDetail({ id: active.id });
        if (cancelled) return;
        store.load(detail);
        const s = detail.summary;
        manager.store.update((st) => updateRun(st, { id: s.id, state: s.state, epoch: s.epoch, epochs: s.epochs, step: s.step }));
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
      detach();
    };
  }, [lab, store, manager]);
}
