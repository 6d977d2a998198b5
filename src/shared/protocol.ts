import type { LabEvent, LabMethod } from './api';
import { errorKind, HTTP_STATUS } from './errors';

/**
 * How LabApi crosses each transport, in one place for both ends: the Electron IPC channels (preload ↔ main),
 * the WebSocket messages (browser ↔ headless host) and the reply envelope every transport answers with.
 */

/** What every transport answers for one call (HTTP, WebSocket and IPC alike). */
export type LabReply = { result: unknown } | { error: { message: string; code: string } };

// Electron IPC
/** Renderer → main: one channel per LabApi method. */
export const labChannel = (method: LabMethod): string => `lab:${method}`;
/** Main → renderer: every LabEvent (run telemetry, experiments, native menu commands). */
export const LAB_EVENT_CHANNEL = 'lab:event';
/** Electron only: native open/save dialogs for project files. */
export const PICK_PATH_CHANNEL = 'lab-native:pickProjectPath';
/** Electron only: native folder picker for a dataset; the chosen folder becomes an allowed dataset root. */
export const PICK_DATASET_FOLDER_CHANNEL = 'lab-native:pickDatasetFolder';
/** Electron only: the renderer reports which menu actions are unavailable now, and the native menu greys them out. */
/** Electron's native open dialog for a PyTorch checkpoint ("Load weights…"). */
export const PICK_WEIGHTS_FILE_CHANNEL = 'lab-native:pickWeightsFile';
export const MENU_STATE_CHANNEL = 'lab-native:menuState';

// WebSocket (`/ws` of the headless host); HTTP (`POST /api/<method>`) uses the same replies without `id`.
export interface WsCall {
  id: number;
  method: string;
  arg?: unknown;
}
export type WsReply = { id: number } & LabReply;
export interface WsEvent {
  event: LabEvent;
}
export type WsServerMessage = WsReply | WsEvent;

/** The browser client's connection (it reconnects after a drop; IPC is always 'open'). */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Parses one client message; null when it is not a well-formed call. */
export function parseWsCall(text: string): WsCall | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { id, method, arg } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof method !== 'string') return null;
  return { id, method, arg };
}

/** HTTP status for an error code from LabService or the transport (by its kind, src/shared/errors.ts). */
export function httpStatus(code: string): number {
  return HTTP_STATUS[errorKind(code)];
}
