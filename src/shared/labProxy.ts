import { LAB_METHODS, type LabApi, type LabMethod } from './api';

/** LabApi's calls: every method but `subscribe`. */
export type LabCalls = Pick<LabApi, LabMethod>;

/** Sends one call over a transport and resolves with its result (or rejects with its error). */
export type LabTransportCall = (method: LabMethod, arg: unknown) => Promise<unknown>;

/**
 * LabApi's calls over one transport function: the one proxy behind the Electron preload bridge, the renderer's
 * IPC client and its WebSocket client. Built from LAB_METHODS, so no transport can miss a method.
 */
export function createLabProxy(call: LabTransportCall): LabCalls {
  const methods = Object.fromEntries(LAB_METHODS.map((method) => [method, (arg?: unknown) => call(method, arg)]));
  // Generated from LAB_METHODS, so TypeScript cannot see that every method is there.
  return methods as unknown as LabCalls;
}
