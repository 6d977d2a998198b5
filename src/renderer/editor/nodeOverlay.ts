import { createContext } from 'react';

/**
 * A live overlay on a block node (e.g. its gradient norm while a run trains): a colour for the node's edge and
 * a short badge. The node view stays generic: whoever provides the hook decides what it shows.
 */
export interface NodeOverlay {
  color: string;
  label: string;
  title: string;
  /** A machine-readable tag for the view and tests (e.g. 'vanished'). */
  status?: string;
}

/** A React hook (it may subscribe to a store); the same function for the app's whole life. */
export type UseNodeOverlay = (id: string, type: string) => NodeOverlay | null;

export const NodeOverlayContext = createContext<UseNodeOverlay>(() => null);
