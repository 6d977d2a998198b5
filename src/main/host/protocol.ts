import { errorKind, HTTP_STATUS } from '../../shared/errors';
import type { LabEvent } from '../../shared/api';

/**
 * WebSocket messages between the browser client (src/renderer/transport/protocol.ts mirrors these
 * types) and the headless host. HTTP uses the same reply shapes without `id`.
 */
export interface WsCall {
  id: number;
  method: string;
  arg?: unknown;
}
export type WsReply = { id: number; result: unknown } | { id: number; error: { message: string; code: string } };
export interface WsEvent {
  event: LabEvent;
}
export type WsServerMessage = WsReply | WsEvent;

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
