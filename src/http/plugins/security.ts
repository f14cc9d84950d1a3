// Security headers (strict CSP), and CSRF protection for cookie sessions: a state-changing request
// carried by a session cookie must come from our own origin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { Config } from '../../config.js';
import { HttpProblem } from '../problem.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The security headers, worked out once. (Fastify's helmet plugin rebuilds helmet's middleware,
 * CSP parsing included, on every request: a large share of a check's cost on the hot path.)
 */
function securityHeaders(config: Config): Record<string, string> {
  const headers: Record<string, string> = {};
  const capture = {
    setHeader: (name: string, value: string | number | string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet({
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
  })({} as IncomingMessage, capture as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * For machine-to-machine JSON answers (the business API), what still means something there (OWASP's
 * REST advice): no sniffing, no framing, no caching of an authorization answer, HSTS over https.
 * The browser-page headers above would add half a kilobyte to every check.
 */
function apiHeaders(pages: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
  const hsts = pages['strict-transport-security'];
  if (hsts) headers['strict-transport-security'] = hsts;
  return headers;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** true: the lean headers of a machine-to-machine JSON API instead of the browser set. */
    machineApi?: boolean;
  }
}

/** The headers of the business API's answers (also sent by the check fast lane). */
export const machineApiHeaders = (config: Config) => apiHeaders(securityHeaders(config));

export async function securityPlugin(server: FastifyInstance, config: Config) {
  const pages = securityHeaders(config);
  const machines = apiHeaders(pages);
  server.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.routeOptions.config.machineApi ? machines : pages);
    done();
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
