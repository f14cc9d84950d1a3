// Log options: JSON lines with request ids; national numbers, tokens and cookies never reach the log.
import { type FastifyBaseLogger, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

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

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger, made into a pino child (with the request id) only when the request logs
 * something. Fastify makes that child for every request, and a child of a redacting pino logger cost
 * about a tenth of a check's time on the hot path, where nothing is logged.
 */
class LazyRequestLogger {
  #child: FastifyBaseLogger | undefined;
  constructor(
    private readonly parent: FastifyBaseLogger & { isLevelEnabled(level: string): boolean },
    private readonly bindings: Bindings,
  ) {}

  private log(level: Level, args: unknown[]): void {
    if (!this.parent.isLevelEnabled(level)) return;
    this.#child ??= this.parent.child(this.bindings);
    (this.#child[level] as (...args: unknown[]) => void)(...args);
  }

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }
  set level(level: string) {
    this.#child ??= this.parent.child(this.bindings);
    this.#child.level = level;
  }
  fatal(...args: unknown[]) {
    this.log('fatal', args);
  }
  error(...args: unknown[]) {
    this.log('error', args);
  }
  warn(...args: unknown[]) {
    this.log('warn', args);
  }
  info(...args: unknown[]) {
    this.log('info', args);
  }
  debug(...args: unknown[]) {
    this.log('debug', args);
  }
  trace(...args: unknown[]) {
    this.log('trace', args);
  }
  silent() {}
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings);
    return this.#child.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: lazy children, except for routes with a level of their own. */
export function requestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  if (options.level !== undefined || options.serializers !== undefined) return logger.child(bindings, options);
  return new LazyRequestLogger(
    logger as FastifyBaseLogger & { isLevelEnabled(level: string): boolean },
    bindings,
  ) as unknown as FastifyBaseLogger;
}
