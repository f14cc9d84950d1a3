// The served OpenAPI document is valid and lists every route of the server.
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer } from '../fixtures/server.js';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => server?.close());

/** Routes not meant for API clients: documentation itself, the sign-in redirects and the embedded dev identity provider, the web app. */
const UNDOCUMENTED = [/^\/docs/, /^\/openapi\.json$/, /^\/idp/, /^\/auth\//, /^\/$/, /^\/assets/, /^\*$/, /^\/\*$/];

/** Rebuilds full paths from Fastify's route tree (each level is indented by four characters and continues its parent's path). */
function listRoutes(tree: string): [string, string][] {
  const stack: string[] = [];
  const routes: [string, string][] = [];
  for (const line of tree.split('\n')) {
    const m = line.match(/^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?/);
    if (!m) continue;
    const depth = (m[1] as string).length / 4;
    const path = (stack[depth - 1] ?? '') + (m[2] as string);
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of m[3]?.split(', ') ?? []) routes.push([method, path]);
  }
  return routes;
}

it('is a valid OpenAPI 3.1 document', async () => {
  const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };
  expect(doc.openapi).toBe('3.1.0');
  await SwaggerParser.validate(structuredClone(doc) as never);
});

it('documents every route the server has', async () => {
  const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };
  const documented = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  const routes = listRoutes(server.server.printRoutes({ commonPrefix: false })).filter(
    ([method, path]) => method !== 'HEAD' && method !== 'OPTIONS' && !UNDOCUMENTED.some((re) => re.test(path)),
  );
  expect(routes.length).toBeGreaterThan(8);
  const missing = routes.map(([method, path]) => `${method} ${path}`).filter((r) => !documented.has(r));
  expect(missing).toEqual([]);
});
