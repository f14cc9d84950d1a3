// Opens the store named by a database URL: `sqlite:<file>` or `postgres://…`.
import type { Store, ThreadShare } from './port.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';

/** For a store opened by a bulk job's thread beside the serving thread's: what they share, and that its writers go second. */
export interface BackgroundThread extends Partial<ThreadShare> {
  polite: true;
}

export function openStore(url: string, thread?: BackgroundThread): Store {
  if (url.startsWith('sqlite:')) return openSqliteStore(url.slice('sqlite:'.length) || './data/ssm.db', thread);
  // A bulk job's thread needs a connection for its chunk's transaction and one beside it, not a full pool.
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgresStore(url, thread ? 4 : 10);
  throw new Error(`SSM_DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:…)`);
}
