import type { KmsBridge } from '../../shared/bridge';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in the browser host. */
    kms?: KmsBridge;
  }
}

export {};
