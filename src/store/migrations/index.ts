// Every migration, by date-prefixed name. Kysely runs them in name order and records what ran.
import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './2026-11-29-01-initial.js';
import * as auth from './2026-11-29-02-auth.js';
import * as idempotency from './2026-11-29-03-idempotency.js';
import * as business from './2026-11-29-04-business.js';
import * as batches from './2026-11-29-05-batches.js';
import * as notifications from './2026-11-29-06-notifications.js';
import * as ending from './2026-11-29-07-ending-index.js';
import * as registry from './2026-11-30-08-registry-changes.js';
import * as rotation from './2026-11-30-09-client-secret-rotation.js';
import * as clientChanges from './2026-11-30-10-client-changes.js';

const MIGRATIONS: Record<string, Migration> = {
  '2026-11-29-01-initial': initial,
  '2026-11-29-02-auth': auth,
  '2026-11-29-03-idempotency': idempotency,
  '2026-11-29-04-business': business,
  '2026-11-29-05-batches': batches,
  '2026-11-29-06-notifications': notifications,
  '2026-11-29-07-ending-index': ending,
  '2026-11-30-08-registry-changes': registry,
  '2026-11-30-09-client-secret-rotation': rotation,
  '2026-11-30-10-client-changes': clientChanges,
};

export const migrationProvider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
