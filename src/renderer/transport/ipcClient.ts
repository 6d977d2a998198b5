import { LAB_METHODS, type LabApi, type LabMethod } from '../../shared/api';
import type { LabClient } from './client';
import { toLabError } from './errors';

type Bridge = NonNullable<Window['lab']>;

/** LabClient over the Electron preload bridge: same calls, rejections turned back into LabError. */
export function createIpcLab(bridge: Bridge): LabClient {
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      fn(...args).catch((reason: unknown) => Promise.reject(toLabError(reason)));
  // Generated from LAB_METHODS, so TypeScript cannot see that every method is there.
  const methods = Object.fromEntries(
    LAB_METHODS.map((m: LabMethod) => [m, wrap((arg?: unknown) => (bridge[m] as (a?: unknown) => Promise<unknown>)(arg))]),
  ) as unknown as Pick<LabApi, LabMethod>;
  const pick = bridge.pickProjectPath;
  const pickFolder = bridge.pickDatasetFolder;
  const reportMenu = bridge.reportMenuState;
  const client: LabClient = {
    ...methods,
    transport: 'ipc',
    subscribe: (listener) => bridge.subscribe(listener),
    onConnection: () => () => undefined,
    ...(pick ? { pickProjectPath: wrap((a: { mode: 'open' | 'save'; suggestedName?: string }) => pick(a)) } : {}),
    ...(pickFolder ? { pickDatasetFolder: wrap(() => pickFolder()) } : {}),
    ...(reportMenu ? { reportMenuState: wrap((disabled: readonly string[]) => reportMenu(disabled)) } : {}),
  };
  return client;
}
