// Loaded only when DAX_ENDPOINT is set (a dynamic import in table.ts): the
// DAX client stays out of the handlers' own bundles.
import { DaxDocument } from '@amazon-dax-sdk/lib-dax';
import type { TableClient } from './table.js';

export interface DaxConnection {
  client: TableClient;
  /** Stops the client's cluster refresh and health checks. */
  close(): void;
}

/** A DAX document client for the cluster discovery URL (daxs://...). */
export function openDax(endpoint: string, region: string | undefined): DaxConnection {
  const doc = new DaxDocument({
    endpoint,
    region,
    // Fail fast: the handler answers 503 rather than wait out DAX's defaults
    // (10 s connect, 60 s request, 7 s retry delay).
    connectTimeout: 1000,
    requestTimeout: 2000,
    maxRetries: 1,
    maxRetryDelay: 1000,
  });
  const closable = doc as unknown as { shutdown?: () => void };
  return { client: doc, close: () => closable.shutdown?.() };
}
