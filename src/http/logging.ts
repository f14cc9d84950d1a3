// Log options: JSON lines with request ids; national numbers, tokens and cookies never reach the log.
import { type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: no "incoming request" / "request completed" lines (the hot check path; metrics count it). */
    requestLog?: boolean;
  }
}

/** Masks anything that looks like a national number (11 digits) or an enterprise number (10 digits). */
export const maskIdentifiers = (text: string) => text.replace(/\b(\d{2})\d{7,8}(\d{0,1})\b/g, (_m, head: string) => `${head}*********`);

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.nationalNumber',
        '*.clientSecret',
        '*.email',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; id: string; ip?: string }) => ({
        method: req.method,
        url: maskIdentifiers(req.url),
        id: req.id,
      }),
    },
  };
}

/**
 * Per-request log lines, except for routes that opt out. Opting out per route with a `logLevel`
 * would change the level of every request's child logger, which pino pays for on each request.
 */
export const logController = () =>
  new LogController({ disableRequestLogging: (request) => (request as FastifyRequest).routeOptions?.config?.requestLog === false });
