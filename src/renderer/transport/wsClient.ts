import { LabError, type LabEvent, type LabMethod } from '../../shared/api';
import { createLabProxy } from '../../shared/labProxy';
import type { ConnectionStatus, WsCall, WsServerMessage } from '../../shared/protocol';
import type { LabClient } from './client';

/** The part of the WebSocket API the client uses; the browser's WebSocket and the `ws` package both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface WsLabOptions {
  /** ws://host/ws?token=… */
  url: string;
  createSocket(url: string): SocketLike;
  /** How long a call waits for a connection before failing. Default 30 s. */
  queueTimeoutMs?: number;
  /** Reconnect delays double from min to max. Default 250 ms … 5 s. */
  backoffMs?: { min: number; max: number };
}

export interface WsLab extends LabClient {
  /** Resolves on the first open connection; rejects after `timeoutMs` without one. */
  whenOpen(timeoutMs?: number): Promise<void>;
  close(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: LabError): void;
  call: WsCall;
  sent: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

const OPEN = 1;

/**
 * LabApi over one WebSocket that reconnects with backoff. Calls made while disconnected wait for the
 * connection; calls in flight when it drops fail with 'disconnected' (they may have run: never resent).
 * Event subscriptions survive reconnects; events sent during a gap are lost.
 */
export function createWsLab(options: WsLabOptions): WsLab {
  const queueTimeoutMs = options.queueTimeoutMs ?? 30_000;
  const backoff = options.backoffMs ?? { min: 250, max: 5000 };
  const pending = new Map<number, Pending>();
  const eventListeners = new Set<(event: LabEvent) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let socket: SocketLike | null = null;
  let status: ConnectionStatus = 'connecting';
  let nextId = 1;
  let delay = backoff.min;
  let closedByUser = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  const setStatus = (next: ConnectionStatus): void => {
    if (next === status) return;
    status = next;
    for (const listener of statusListeners) listener(next);
  };

  const send = (p: Pending): void => {
    if (!socket || socket.readyState !== OPEN) return;
    if (p.timer) clearTimeout(p.timer);
    socket.send(JSON.stringify(p.call));
    p.sent = true;
  };

  const connect = (): void => {
    const ws = options.createSocket(options.url);
    socket = ws;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      delay = backoff.min;
      setStatus('open');
      for (const p of pending.values()) if (!p.sent) send(p);
    });
    ws.addEventListener('message', (event) => {
      if (socket !== ws || typeof event.data !== 'string') return;
      receive(event.data);
    });
    ws.addEventListener('error', () => undefined); // 'close' follows and handles it
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      for (const [id, p] of pending) {
        if (!p.sent) continue;
        pending.delete(id);
        p.reject(new LabError(`the connection to the Netsmith host was lost during ${p.call.method}; try again`, 'disconnected'));
      }
      setStatus('reconnecting');
      reconnectTimer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, backoff.max);
    });
  };

  const receive = (text: string): void => {
    let message: WsServerMessage;
    try {
      message = JSON.parse(text) as WsServerMessage;
    } catch {
      return;
    }
    if ('event' in message) {
      for (const listener of eventListeners) {
        try {
          listener(message.event);
        } catch (err) {
          console.error('lab event listener failed', err);
        }
      }
      return;
    }
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    if ('error' in message) p.reject(new LabError(message.error.message, message.error.code));
    else p.resolve(message.result);
  };

  const call = (method: LabMethod, arg: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closedByUser) return reject(new LabError('the connection to the Netsmith host is closed', 'disconnected'));
      const id = nextId++;
      const p: Pending = { resolve, reject, call: { id, method, ...(arg === undefined ? {} : { arg }) }, sent: false };
      pending.set(id, p);
      if (socket?.readyState === OPEN) return send(p);
      p.timer = setTimeout(() => {
        if (p.sent) return;
        pending.delete(id);
        reject(new LabError(`cannot reach the Netsmith host (waited ${Math.round(queueTimeoutMs / 1000)} s for ${method})`, 'disconnected'));
      }, queueTimeoutMs);
    });

  const methods = createLabProxy(call);

  const lab: Omit<WsLab, LabMethod> = {
    transport: 'websocket',
    subscribe(listener) {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
    onConnection(listener) {
      statusListeners.add(listener);
      return () => void statusListeners.delete(listener);
    },
    whenOpen(timeoutMs = 10_000) {
      if (status === 'open') return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new LabError(`cannot reach the Netsmith host at ${options.url.replace(/token=[^&]*/, 'token=…')}`, 'disconnected'));
        }, timeoutMs);
        const off = lab.onConnection((s) => {
          if (s !== 'open' && s !== 'closed') return;
          clearTimeout(timer);
          off();
          if (s === 'open') resolve();
          else reject(new LabError('the connection to the Netsmith host is closed', 'disconnected'));
        });
      });
    },
    close() {
      closedByUser = true;
      clearTimeout(reconnectTimer);
      for (const [id, p] of pending) {
        pending.delete(id);
        if (p.timer) clearTimeout(p.timer);
        p.reject(new LabError('the connection to the Netsmith host is closed', 'disconnected'));
      }
      const ws = socket;
      socket = null; // its 'close' event is ignored from here on
      ws?.close(1000, 'client closed');
      setStatus('closed');
    },
  };
  connect();
  return Object.assign(lab, methods);
}
