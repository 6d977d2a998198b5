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

/** HTTP status for an error code from LabService or the transport. */
export function httpStatus(code: string): number {
  switch (code) {
    case 'bad-args':
    case 'bad-json':
    case 'bad-path':
      return 400;
    case 'unauthorized':
      return 401;
    case 'not-found':
    case 'unknown-method':
      return 404;
    case 'method-not-allowed':
      return 405;
    case 'too-large':
      return 413;
    case 'no-engine':
      return 503;
    case 'internal':
      return 500;
    default:
      return 422; // an expected LabError the request could not satisfy
  }
}
