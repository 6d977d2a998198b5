import type { LabMethod } from '../../shared/api';
import { createLabProxy } from '../../shared/labProxy';
import type { LabClient } from './client';
import { toLabError } from './errors';

type Bridge = NonNullable<Window['lab']>;

/** LabClient over the Electron preload bridge: same calls, rejections turned back into LabError. */
export function createIpcLab(bridge: Bridge): LabClient {
  const wrap =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      fn(...args).catch((reason: unknown) => Promise.reject(toLabError(reason)));
  const methods = createLabProxy(wrap((method: LabMethod, arg: unknown) => (bridge[method] as (a?: unknown) => Promise<unknown>)(arg)));
  const pick = bridge.pickProjectPath;
  const pickFolder = bridge.pickDatasetFolder;
  const reportMenu = bridge.reportMenuState;
  const pickWeights = bridge.pickWeightsFile;
  const pathOf = bridge.pathOfFile;
  const client: LabClient = {
    ...methods,
    transport: 'ipc',
    subscribe: (listener) => bridge.subscribe(listener),
    onConnection: () => () => undefined,
    ...(pick ? { pickProjectPath: wrap((a: { mode: 'open' | 'save'; suggestedName?: string }) => pick(a)) } : {}),
    ...(pickFolder ? { pickDatasetFolder: wrap(() => pickFolder()) } : {}),
    ...(pickWeights ? { pickWeightsFile: wrap(() => pickWeights()) } : {}),
    ...(pathOf ? { pathOfFile: (file: Blob) => pathOf(file) } : {}),
    ...(reportMenu ? { reportMenuState: wrap((disabled: readonly string[]) => reportMenu(disabled)) } : {}),
  };
  return client;
}
