// Opens the store named by a database URL: `sqlite:<file>` or `postgres://…`.
import type { Store, ThreadShare } from './port.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';

/** `thread`: what this thread shares with a store of the same database opened by another thread (a bulk job's). */
export function openStore(url: string, thread?: ThreadShare & { polite: boolean }): Store {
  if (url.startsWith('sqlite:')) return openSqliteStore(url.slice('sqlite:'.length) || './data/ssm.db', thread);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgresStore(url);
  throw new Error(`SSM_DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:…)`);
}
