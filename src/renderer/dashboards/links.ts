import { createContext, useContext } from 'react';
import type { LabApi } from '../../shared/api';

/** What the dashboards may ask of the app: show graph nodes in the editor, open a run, focus a setting. */
export interface DashLinks {
  focusNodes(nodes: readonly string[]): void;
  /** Node id → display label in the document open in the editor (falls back to the run's graph). */
  nodeLabel?(id: string): string | undefined;
  /** The host (validation images of a run, run records); null offline. */
  lab?: LabApi | null;
}

export const DashLinksContext = createContext<DashLinks>({ focusNodes() {} });

export const useDashLinks = (): DashLinks => useContext(DashLinksContext);
