import { LAB_METHODS, type LabApi } from '../../shared/api';
import { labChannel, type LabReply } from '../../shared/protocol';
import { callLab, toWireError } from '../util/labCall';
import type { IpcEventLike, IpcMainLike } from './types';

const untrusted: LabReply = { error: { message: 'IPC from an unknown frame was refused', code: 'unauthorized' } };

/**
 * One `ipcMain.handle('lab:<method>')` per LAB_METHODS entry. Each validates its payload with LAB_ARGS
 * and answers `{result}` or `{error}`; nothing is thrown into Electron.
 */
export function registerLabIpc(ipcMain: IpcMainLike, api: LabApi, isTrusted: (event: IpcEventLike) => boolean): void {
  for (const method of LAB_METHODS) {
    ipcMain.handle(labChannel(method), (event: IpcEventLike, arg: unknown) => (isTrusted(event) ? callLab(api, method, arg) : untrusted));
  }
}

/** Registers one extra Electron-only handler with the same envelope and the same trust check. */
export function registerNativeIpc(
  ipcMain: IpcMainLike,
  channel: string,
  isTrusted: (event: IpcEventLike) => boolean,
  handler: (arg: unknown) => Promise<unknown>,
): void {
  ipcMain.handle(channel, async (event: IpcEventLike, arg: unknown): Promise<LabReply> => {
    if (!isTrusted(event)) return untrusted;
    try {
      const result = await handler(arg);
      return { result: result === undefined ? null : result };
    } catch (err) {
      return { error: toWireError(err) };
    }
  });
}
