// Opens the store named by a database URL: `sqlite:<file>` or `postgres://…`.
import type { Store } from './port.js';
import { openPostgresStore } from './postgres.js';
import { openSqliteStore } from './sqlite.js';

export function openStore(url: string): Store {
  if (url.startsWith('sqlite:')) return openSqliteStore(url.slice('sqlite:'.length) || './data/ssm.db');
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgresStore(url);
  throw new Error(`SSM_DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:…)`);
}
