// Child processes for the HTTP comparison: servers pinned to one core, the load generator to the other.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

const hasTaskset = process.platform === 'linux' && spawnSync('taskset', ['--version']).status === 0;
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;
/**
 * Node flags of the HTTP servers measured: the young generation docs/operations.md recommends for a
 * check server (fewer, not longer, collection pauses under load). The bare ceiling runs with the same.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];

/** The command run on one core, when the machine can pin; unpinned otherwise. */
export const pinned = (core: number, command: string[]) => (hasTaskset ? ['taskset', '-c', String(core), ...command] : command);

/** Moves this process, all its threads included, to one core: the load generator must not compete with the servers. */
export function pinSelf(core: number): boolean {
  return hasTaskset && spawnSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)]).status === 0;
}

/** A loopback port free right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a server and resolves once it is ready: when its output matches a pattern, or when a URL answers 200
 * (for a server quiet until it fails). Rejects with the server's last output if it exits first, or after a minute.
 */
export function startServer(
  command: string[],
  options: { cwd: string; env?: Record<string, string>; ready: RegExp | URL },
): Promise<ChildProcess> {
  const [bin, ...args] = command as [string, ...string[]];
  const child = spawn(bin, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const { ready } = options;
  return new Promise((resolve, reject) => {
    let output = '';
    let exited = false;
    // A server that never gets ready must not hang the run.
    const timer = setTimeout(() => {
      output += '\n(not ready within a minute)';
      child.kill('SIGKILL');
    }, 60_000);
    const ok = () => {
      clearTimeout(timer);
      resolve(child);
    };
    const watch = (chunk: Buffer) => {
      // Only the tail is kept, for an error message.
      output = (output + chunk.toString()).slice(-4000);
      if (ready instanceof RegExp && ready.test(output)) ok();
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.once('exit', (code) => {
      exited = true;
      clearTimeout(timer);
      reject(new Error(`${command.join(' ')} exited with ${code}: ${output}`));
    });
    if (ready instanceof URL) {
      const poll = async () => {
        const answered = await fetch(ready).then(
          (response) => response.status === 200,
          () => false,
        );
        if (answered) ok();
        else if (!exited) setTimeout(poll, 100);
      };
      void poll();
    }
  });
}
