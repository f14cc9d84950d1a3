// SSM's HTTP service over the bench data, started as a user runs it (`ssm serve` on a SQLite file), and
// the bare Fastify route beside it as the ceiling of HTTP on this machine.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiClient } from '../../src/app/api-clients.js';
import { openApp } from '../../src/app/context.js';
import { loadConfig } from '../../src/config.js';
import { type BenchMandate, loadSqlite } from '../lib/dataset.js';
import { freePort, pinned, SERVER_CORE, SERVER_NODE_FLAGS, startServer } from './processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningServer {
  url: string;
  /** Extra request headers (the API client's credentials for SSM). */
  headers: Record<string, string>;
  child: ChildProcess;
}

/** Loads the data into a SQLite file in `dir`, registers a finance application and serves the file. */
export async function startSsm(dir: string, data: BenchMandate[]): Promise<RunningServer> {
  const file = join(dir, 'ssm.db');
  await loadSqlite(file, data);
  const app = await openApp(loadConfig({}, { databaseUrl: `sqlite:${file}`, logLevel: 'silent' }));
  const { client, secret } = await createApiClient(app, { name: 'bench-peers', domain: 'finance' });
  await app.store.close();
  const port = await freePort();
  const child = await startServer(pinned(SERVER_CORE, ['node', ...SERVER_NODE_FLAGS, 'bin/ssm.js', 'serve']), {
    cwd: ROOT,
    // The rate limit is raised so that it does not answer for the service under load.
    env: { SSM_DATABASE_URL: `sqlite:${file}`, SSM_PORT: String(port), SSM_LOG_LEVEL: 'warn', SSM_RATE_LIMIT: '1000000' },
    ready: /SSM is running/,
  });
  const authorization = `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`;
  return { url: `http://127.0.0.1:${port}`, headers: { authorization }, child };
}

export async function startBare(): Promise<RunningServer> {
  const port = await freePort();
  const child = await startServer(
    pinned(SERVER_CORE, ['node', ...SERVER_NODE_FLAGS, '--import', 'tsx', 'bench/bare-server.ts', String(port)]),
    {
      cwd: ROOT,
      ready: /listening/,
    },
  );
  return { url: `http://127.0.0.1:${port}`, headers: {}, child };
}
