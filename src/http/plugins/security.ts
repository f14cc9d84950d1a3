// Security headers (strict CSP), and CSRF protection for cookie sessions: a state-changing request
// carried by a session cookie must come from our own origin.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { HttpProblem } from '../problem.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function securityPlugin(server: FastifyInstance, config: Config) {
  await server.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: config.publicUrl.startsWith('https:') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
}

/** Registered after authentication, so it knows whether the request rides on a session cookie. */
export async function csrfPlugin(server: FastifyInstance, config: Config) {
  const own = new URL(config.publicUrl).origin;
  server.addHook('preHandler', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const principal = request.principal;
    if (principal?.kind !== 'person' || principal.via !== 'session') return;
    const origin = request.headers.origin ?? (request.headers.referer ? new URL(request.headers.referer).origin : undefined);
    if (origin !== own) {
      throw new HttpProblem(403, 'CSRF_ORIGIN', 'This request must come from the SSM web application itself.', 'Origin');
    }
  });
}
