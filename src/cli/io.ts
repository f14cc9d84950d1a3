// Small helpers shared by the CLI commands: opening the app, printing, failing clearly.

import { type AppContext, openApp } from '../app/context.js';
import { loadConfig } from '../config.js';

export class UsageError extends Error {}

export async function withApp<T>(fn: (app: AppContext) => Promise<T>): Promise<T> {
  const app = await openApp(loadConfig());
  try {
    return await fn(app);
  } finally {
    await app.store.close();
  }
}

export const print = (line = '') => process.stdout.write(`${line}\n`);
export const printJson = (value: unknown) => print(JSON.stringify(value, null, 2));
