// Log options: JSON lines with request ids; national numbers, tokens and cookies never reach the log.
import type { FastifyServerOptions } from 'fastify';

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
