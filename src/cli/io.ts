// Small helpers shared by the CLI commands: opening the app, printing, failing clearly.

import { userInfo } from 'node:os';
import { type AppContext, openApp } from '../app/context.js';
import { loadConfig } from '../config.js';

export class UsageError extends Error {}

/** Who runs the command, for the records of operators' actions: the account's name (none in some containers). */
function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export async function withApp<T>(fn: (app: AppContext) => Promise<T>): Promise<T> {
  const app = await openApp(loadConfig(), { actor: cliActor() });
  try {
    return await fn(app);
  } finally {
    await app.store.close();
  }
}

export const print = (line = '') => process.stdout.write(`${line}\n`);
export const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));
