import type { LabApi } from '../shared/api';

export interface PickProjectPathArgs {
  mode: 'open' | 'save';
  /** File name proposed by the save dialog, e.g. 'resnet.netsmith.json'. */
  suggestedName?: string;
}

/**
 * `window.lab` in Electron: LabApi plus native extras the renderer must treat as optional
 * (the browser host has none). Methods reject with a plain `{ message, code }` object because
 * Error objects lose their properties across the context bridge; connectLab() turns it into LabError.
 */
export interface LabBridge extends LabApi {
  /** Native file dialog; resolves a path relative to the projects folder, or null when cancelled. */
  pickProjectPath?(a: PickProjectPathArgs): Promise<string | null>;
  /** Native folder dialog for a dataset; the folder is allowed as a dataset root. Its absolute path, or null when cancelled. */
  pickDatasetFolder?(): Promise<string | null>;
  /** Native file dialog for a PyTorch checkpoint (.pth, .pt, .safetensors); its absolute path, or null when cancelled. */
  pickWeightsFile?(): Promise<string | null>;
  /** Where a chosen or dropped file is on disk (Electron's webUtils.getPathForFile), or null when it has none. */
  pathOfFile?(file: Blob): string | null;
  /** The native menu's actions that are unavailable now (greyed out until the next report). */
  reportMenuState?(disabled: readonly string[]): Promise<void>;
}
