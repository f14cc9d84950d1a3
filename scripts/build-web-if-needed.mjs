#!/usr/bin/env node
// Builds the web application (web/ → web/dist) when web/dist is missing or older than its sources,
// so `npm start` on a fresh clone serves the current web application. Also used by the browser tests;
// a lock directory keeps parallel callers from building over each other.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const web = join(projectRoot, 'web');
const builtIndex = join(web, 'dist', 'index.html');
/** Inputs of the build: the web app and the domain-core modules it imports. */
const SOURCES = [
  join(web, 'src'),
  join(web, 'public'),
  join(web, 'index.html'),
  join(web, 'vite.config.ts'),
  join(projectRoot, 'src', 'core', 'party.ts'),
  join(projectRoot, 'src', 'core', 'refusal.ts'),
  join(projectRoot, 'src', 'core', 'dates.ts'),
];

function newestMtime(path) {
  let info;
  try {
    info = statSync(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), info.mtimeMs);
}

export function webBuildIsStale() {
  let built;
  try {
    built = statSync(builtIndex).mtimeMs;
  } catch {
    return true;
  }
  return SOURCES.some((source) => newestMtime(source) > built);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds web/dist if stale; resolves to true when it built. */
export async function buildWebIfNeeded({ log = console.log } = {}) {
  if (!webBuildIsStale()) return false;
  const lock = join(web, '.build-lock');
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process is building; a lock older than two minutes is left over from a crash.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(lock, { recursive: true, force: true });
      await sleep(250);
      if (waited > 180_000) throw new Error(`web build lock ${lock} held for too long`);
    }
  }
  try {
    if (!webBuildIsStale()) return false;
    log('Building the web application (web/dist)…');
    const { build } = await import('vite');
    // A test runner sets NODE_ENV=test, which would give React's development build.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(web, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildWebIfNeeded().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
