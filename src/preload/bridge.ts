import type { LabEvent } from '../shared/api';
import { createLabProxy } from '../shared/labProxy';
import { LAB_EVENT_CHANNEL, MENU_STATE_CHANNEL, PICK_DATASET_FOLDER_CHANNEL, PICK_PATH_CHANNEL, PICK_WEIGHTS_FILE_CHANNEL, labChannel, type LabReply } from '../shared/protocol';
import type { LabBridge, PickProjectPathArgs } from './types';

/** The part of Electron's ipcRenderer the bridge uses (a structural type, so tests can pass a stub). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The part of Electron's webUtils the bridge uses: a File's path on disk ('' when it has none). */
export interface WebUtilsLike {
  getPathForFile(file: File): string;
}

/**
 * Builds `window.lab`: one method per LAB_METHODS entry over `lab:<method>`, events from one channel, and
 * `pathOfFile` from webUtils (a dropped or chosen .onnx opens from its path, never copied through IPC).
 */
export function buildLabBridge(ipc: IpcRendererLike, webUtils?: WebUtilsLike): LabBridge {
  const call = async (channel: string, arg: unknown): Promise<unknown> => {
    const reply = (await ipc.invoke(channel, arg)) as LabReply;
    if ('error' in reply) return Promise.reject({ name: 'LabError', message: reply.error.message, code: reply.error.code });
    return reply.result;
  };
  const methods = createLabProxy((method, arg) => call(labChannel(method), arg));
  const subscribe = (listener: (event: LabEvent) => void): (() => void) => {
    const forward = (_event: unknown, payload: unknown): void => listener(payload as LabEvent);
    ipc.on(LAB_EVENT_CHANNEL, forward);
    return () => void ipc.removeListener(LAB_EVENT_CHANNEL, forward);
  };
  const pickProjectPath = (a: PickProjectPathArgs): Promise<string | null> => call(PICK_PATH_CHANNEL, a) as Promise<string | null>;
  const pickDatasetFolder = (): Promise<string | null> => call(PICK_DATASET_FOLDER_CHANNEL, undefined) as Promise<string | null>;
  const pickWeightsFile = (): Promise<string | null> => call(PICK_WEIGHTS_FILE_CHANNEL, undefined) as Promise<string | null>;
  const reportMenuState = async (disabled: readonly string[]): Promise<void> => void (await call(MENU_STATE_CHANNEL, [...disabled]));
  const bridge: LabBridge = { ...methods, subscribe, pickProjectPath, pickDatasetFolder, pickWeightsFile, reportMenuState };
  if (webUtils)
    bridge.pathOfFile = (file) => {
      try {
        return webUtils.getPathForFile(file as File) || null;
      } catch {
        return null; // not a File (a Blob made in the page)
      }
    };
  return bridge;
}
