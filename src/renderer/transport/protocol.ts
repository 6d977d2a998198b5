import type { LabEvent } from '../../shared/api';

/** WebSocket messages of the headless host; mirrors src/main/host/protocol.ts (the renderer cannot import main). */
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

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';
