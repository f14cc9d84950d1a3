// The web application's files over HTTP: long-lived caching for hashed assets, none for index.html,
// index.html for the application's own page routes, and nothing of it under the server's paths.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsPlugin } from '../../src/http/plugins/errors.js';
import { isServerPath, webPlugin } from '../../src/http/plugins/web.js';

const INDEX =
  '<!doctype html><html lang="en"><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';

async function serverWith(distDir: string): Promise<FastifyInstance> {
  const server = Fastify();
  await errorsPlugin(server);
  server.get('/api/v1/catalogue', async () => ({ version: 'x' }));
  await webPlugin(server, { distDir });
  await server.ready();
  return server;
}

describe('the web application plugin', () => {
  let dist: string;
  let server: FastifyInstance;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'ssm-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dist, '.secret'), 'no');
    server = await serverWith(dist);
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (url: string, accept = 'text/html,application/xhtml+xml') => server.inject({ method: 'GET', url, headers: { accept } });

  it('serves hashed assets as immutable for a year', async () => {
    const response = await get('/assets/index-abc123.js', '*/*');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-type']).toMatch(/javascript/);
  });

  it('serves index.html uncached at / and for every page route of the application', async () => {
    for (const url of ['/', '/mandates', '/mandates/0190a5e2-0000-7000-8000-000000000000/sign', '/accessibility?x=1']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(response.body, url).toBe(INDEX);
    }
  });

  it('answers other static files with a shorter cache', async () => {
    const response = await get('/favicon.svg', '*/*');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=3600');
  });

  it('does not answer with the page where a browser does not ask for one, or for a missing asset', async () => {
    for (const [url, accept] of [
      ['/mandates', 'application/json'],
      ['/assets/missing.js', 'text/html'],
    ] as const) {
      const response = await get(url, accept);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().code).toBe('ROUTE_NOT_FOUND');
    }
  });

  it('leaves the server paths alone, even for a browser', async () => {
    for (const url of [
      '/api/v1/nothing',
      '/auth/nothing',
      '/idp/x',
      '/docs/x',
      '/.well-known/x',
      '/healthz',
      '/metrics',
      '/openapi.json',
    ]) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/problem\+json/);
    }
    expect((await get('/api/v1/catalogue', 'application/json')).json()).toEqual({ version: 'x' });
    expect(isServerPath('/apiary')).toBe(false);
    expect(isServerPath('/api')).toBe(true);
  });

  it('never serves a file outside web/dist, nor a dotfile', async () => {
    for (const url of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/.secret']) {
      const response = await get(url, '*/*');
      expect(response.body, url).not.toMatch(/"name"|^no$/);
    }
  });
});

describe('without a built web application', () => {
  it('answers / with a page saying how to build it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ssm-web-empty-'));
    const server = await serverWith(empty);
    const response = await server.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toMatch('npm run build:web');
    expect(response.body).not.toMatch(/<script|style=/);
    await server.close();
    rmSync(empty, { recursive: true, force: true });
  });
});
