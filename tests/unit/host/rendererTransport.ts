import type { LabApi } from '../../../src/shared/api';
import type { ConnectionStatus } from '../../../src/shared/protocol';

export type { ConnectionStatus } from '../../../src/shared/protocol';

/**
 * The renderer's transport belongs to tsconfig.web.json, and a composite tsconfig.node.json may not pull
 * its files in (TS6307), so the tests load it at run time and describe the part they use here.
 */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: { data: unknown }) => void): void;
}

export interface LabClientLike extends LabApi {
  readonly transport: 'ipc' | 'websocket';
  onConnection(listener: (status: ConnectionStatus) => void): () => void;
  pickProjectPath?(a: { mode: 'open' | 'save'; suggestedName?: string }): Promise<string | null>;
  pickWeightsFile?(): Promise<string | null>;
  pathOfFile?(file: Blob): string | null;
}

export interface WsLabLike extends LabClientLike {
  whenOpen(timeoutMs?: number): Promise<void>;
  close(): void;
}

interface WsClientModule {
  createWsLab(options: { url: string; createSocket(url: string): SocketLike; queueTimeoutMs?: number; backoffMs?: { min: number; max: number } }): WsLabLike;
}
interface IpcClientModule {
  createIpcLab(bridge: unknown): LabClientLike;
}

const load = <T>(path: string): Promise<T> => import(new URL(path, import.meta.url).href) as Promise<T>;

export const { createWsLab } = await load<WsClientModule>('../../../src/renderer/transport/wsClient.ts');
export const { createIpcLab } = await load<IpcClientModule>('../../../src/renderer/transport/ipcClient.ts');
