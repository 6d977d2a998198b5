import type { LabApi } from '../../shared/api';
import type { ConnectionStatus } from '../../shared/protocol';

/** What connectLab() returns: LabApi plus transport facts the UI may show. */
export interface LabClient extends LabApi {
  readonly transport: 'ipc' | 'websocket';
  /** Connection changes (the browser host reconnects after a drop; IPC is always 'open'). Refresh runs on 'open'. */
  onConnection(listener: (status: ConnectionStatus) => void): () => void;
  /** Native file dialog, Electron only: a path relative to the projects folder, or null when cancelled. */
  pickProjectPath?(a: { mode: 'open' | 'save'; suggestedName?: string }): Promise<string | null>;
  /** Native folder dialog for a dataset, Electron only: the folder (allowed as a dataset root from then on), or null. */
  pickDatasetFolder?(): Promise<string | null>;
  /** Electron only: greys out the native menu's items for these unavailable actions. */
  reportMenuState?(disabled: readonly string[]): Promise<void>;
}
