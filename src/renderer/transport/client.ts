import type { LabApi } from '../../shared/api';
import type { ConnectionStatus } from '../../shared/protocol';
import type { UploadFile } from './upload';

/** What connectLab() returns: LabApi plus transport facts the UI may show. */
export interface LabClient extends LabApi {
  readonly transport: 'ipc' | 'websocket';
  /** Connection changes (the browser host reconnects after a drop; IPC is always 'open'). Refresh runs on 'open'. */
  onConnection(listener: (status: ConnectionStatus) => void): () => void;
  /** Native file dialog, Electron only: a path relative to the projects folder, or null when cancelled. */
  pickProjectPath?(a: { mode: 'open' | 'save'; suggestedName?: string }): Promise<string | null>;
  /** Native folder dialog for a dataset, Electron only: the folder (allowed as a dataset root from then on), or null. */
  pickDatasetFolder?(): Promise<string | null>;
  /** Native file dialog for a PyTorch checkpoint (.pth, .pt, .safetensors), Electron only: its path, or null when cancelled. */
  pickWeightsFile?(): Promise<string | null>;
  /** Browser host only: streams a file from this computer to the host; its upload id for importWeights and importModel. */
  uploadFile?: UploadFile;
  /** Electron only: where a chosen or dropped file is on disk (the host opens it there), or null when it has no path. */
  pathOfFile?(file: Blob): string | null;
  /** Electron only: greys out the native menu's items for these unavailable actions. */
  reportMenuState?(disabled: readonly string[]): Promise<void>;
}
