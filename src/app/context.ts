// What every use case needs: the store, the catalogue, the clock, the policy and the signing keys.
import { readFileSync } from 'node:fs';
import type { Config } from '../config.js';
import { type CatalogueIndex, loadCatalogue } from '../core/catalogue.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/port.js';
import { type KeyRing, loadKeyRing } from './signing-keys.js';

export interface Policy {
  proposalDays: number;
  signMaxAgeSeconds: number;
}

export interface AppContext {
  store: Store;
  catalogue: CatalogueIndex;
  keys: KeyRing;
  policy: Policy;
  /** The current instant; tests and the demo seed move it. */
  now(): Date;
  /** Who this process acts as in the records of operators' actions (`cli:<user>` for the command line). */
  actor: string;
}

export function readCatalogue(file: string): { catalogue: CatalogueIndex; raw: string } {
  const raw = readFileSync(file, 'utf8');
  return { catalogue: loadCatalogue(JSON.parse(raw)), raw };
}

/** Opens the store, migrates it, records the catalogue version and loads the keys. */
export async function openApp(config: Config, options: { now?: () => Date; store?: Store; actor?: string } = {}): Promise<AppContext> {
  const store = options.store ?? openStore(config.databaseUrl);
  await store.migrate();
  const { catalogue, raw } = readCatalogue(config.catalogueFile);
  await store.recordCatalogue(catalogue.version, raw);
  return {
    store,
    catalogue,
    keys: await loadKeyRing(store),
    policy: { proposalDays: config.proposalDays, signMaxAgeSeconds: config.signMaxAgeSeconds },
    now: options.now ?? (() => new Date()),
    actor: options.actor ?? 'system',
  };
}
