// Every migration, by date-prefixed name. Kysely runs them in name order and records what ran.
import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './2026-11-29-initial.js';

const MIGRATIONS: Record<string, Migration> = {
  '2026-11-29-initial': initial,
};

export const migrationProvider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
