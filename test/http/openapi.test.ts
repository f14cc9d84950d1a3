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

it('is a valid OpenAPI 3.1 document', async () => {
  const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  expect(doc.openapi).toBe('3.1.0');
  await SwaggerParser.validate(structuredClone(doc) as never);
});

it('documents every route the server has', async () => {
  const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  const documented = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  const routes = server.server
    .printRoutes({ commonPrefix: false })
    .split('\n')
    .map((line: string) => line.match(/── (\S+) \(([^)]+)\)/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .flatMap(([, path, methods]) => (methods as string).split(', ').map((method) => [method, path as string] as const))
    .filter(([method, path]) => method !== 'HEAD' && method !== 'OPTIONS' && !UNDOCUMENTED.some((re) => re.test(path)));
  expect(routes.length).toBeGreaterThan(8);
  const missing = routes.map(([method, path]) => `${method} ${path}`).filter((r) => !documented.has(r));
  expect(missing).toEqual([]);
});
