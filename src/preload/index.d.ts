import type { LabBridge } from './types';

declare global {
  interface Window {
    /** Present only in the Electron app; use connectLab() (src/renderer/transport), which also covers the browser. */
    lab?: LabBridge;
  }
}

export {};
