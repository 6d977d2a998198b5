import { createContext, useContext, useSyncExternalStore } from 'react';
import { gradientHeat, type NodeHeat } from './heat';
import type { Channel, RunTelemetry } from './run';
import { TelemetryStore } from './store';

/** The app's telemetry store (App provides it; a private one otherwise, e.g. in a dev page). */
export const TelemetryContext = createContext<TelemetryStore | null>(null);

let fallback: TelemetryStore | null = null;

export function useTelemetryStore(): TelemetryStore {
  const s = useContext(TelemetryContext);
  if (s) return s;
  fallback ??= new TelemetryStore();
  return fallback;
}

/** The run the dashboards show (selected, else live); re-renders when that changes, not per event. */
export function useCurrentRun(): RunTelemetry | undefined {
  const store = useTelemetryStore();
  return useSyncExternalStore(store.subscribe, () => store.current());
}

export function useRun(id: string | null | undefined): RunTelemetry | undefined {
  const store = useTelemetryStore();
  return useSyncExternalStore(store.subscribe, () => store.get(id));
}

/**
 * Re-renders when the run's given channels change (throttled by the store); returns a number that changes
 * with them, to key memoised derivations on.
 */
export function useRunVersion(run: RunTelemetry | undefined, ...channels: Channel[]): string {
  const store = useTelemetryStore();
  return useSyncExternalStore(store.subscribe, () => (run ? `${run.id}:${channels.map((c) => run.versions[c]).join(':')}` : ''));
}

/** The editor's node overlay: the gradient colour of a node, when the shown run trained the network open in the editor. */
export function useGradientOverlay(id: string, type: string): NodeHeat | null {
  const store = useTelemetryStore();
  const heat = useSyncExternalStore(store.subscribe, () => (store.showHeat && store.overlayFitsEditor() ? gradientHeat(store.current()).get(id) : undefined));
  if (!heat || (heat.type !== undefined && heat.type !== type)) return null;
  return heat;
}
