// Serves the self-service web application built into web/dist: hashed assets cached for a year,
// index.html never cached, and index.html for every other page the browser asks for (the SPA's
// routes), except under the API, sign-in, provider, documentation and operations paths.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** web/dist of this checkout. */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** Paths that belong to the server, never to the web application. */
const SERVER_PATHS = ['/api', '/auth', '/idp', '/docs', '/openapi.json', '/.well-known', '/healthz', '/readyz', '/metrics'];

export const isServerPath = (pathname: string) => SERVER_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));

const IMMUTABLE = 'public, max-age=31536000, immutable';
const NO_CACHE = 'no-cache';

const NOT_BUILT_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>SSM – web application not built</title></head>
<body>
<main>
<h1>The web application is not built</h1>
<p>The API runs (see <a href="/docs">/docs</a>), but the self-service web application has not been built yet.
Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it when needed) and restart the server.</p>
</main>
</body>
</html>
`;

function acceptsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

export async function webPlugin(server: FastifyInstance, { distDir = DEFAULT_WEB_DIST }: { distDir?: string } = {}) {
  const root = resolve(distDir);
  if (!existsSync(resolve(root, 'index.html'))) {
    server.get('/', { schema: { hide: true }, config: { rateLimit: false } }, async (_request, reply) =>
      reply.code(200).type('text/html; charset=utf-8').header('cache-control', NO_CACHE).send(NOT_BUILT_PAGE),
    );
    return;
  }

  await server.register(async (web) => {
    await web.register(fastifyStatic, {
      root,
      serve: false,
      cacheControl: false,
      etag: true,
      lastModified: true,
      dotfiles: 'deny',
      setHeaders: (reply, path) => {
        const inAssets = path.startsWith(`${resolve(root, 'assets')}${sep}`);
        reply.header('cache-control', inAssets ? IMMUTABLE : path.endsWith('.html') ? NO_CACHE : 'public, max-age=3600');
      },
    });

    /** A regular file of web/dist named by the request path, if there is one (never outside web/dist). */
    const fileFor = async (pathname: string): Promise<string | undefined> => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(pathname);
      } catch {
        return undefined;
      }
      if (decoded.includes('\0')) return undefined;
      const file = resolve(root, `.${decoded}`);
      if (!file.startsWith(`${root}${sep}`)) return undefined;
      const info = await stat(file).catch(() => undefined);
      return info?.isFile() ? file.slice(root.length + 1) : undefined;
    };

    const serve = async (request: FastifyRequest, reply: FastifyReply) => {
      const pathname = request.url.split('?')[0] ?? '/';
      if (isServerPath(pathname)) return reply.callNotFound();
      if (pathname === '/') return reply.sendFile('index.html');
      const file = await fileFor(pathname);
      if (file) return reply.sendFile(file);
      // Client-side routes: the application's one page, for browsers asking for a page.
      if (acceptsHtml(request) && !pathname.startsWith('/assets/')) return reply.sendFile('index.html');
      return reply.callNotFound();
    };

    const options = { schema: { hide: true }, config: { rateLimit: false as const } };
    web.get('/', options, serve);
    web.get('/*', options, serve);
  });
}
