// The check fast lane. Business applications ask "may X act for Y" on every request of their own
// users, and Fastify's request pipeline (routing, hooks, reply) costs more than answering the check.
// So the HTTP server looks at each request before Fastify does: a well-formed check from a business
// application whose credentials are already verified is read, validated with the route's own
// schema, answered by the same code as the route, and written here. Anything else — another route,
// unknown credentials, a quota, a body that does not parse or validate, a refused check — is handed
// to Fastify untouched (with the body it brought), which answers it exactly as it would have.

import { isAscii } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { CheckAnswers, CheckBody } from './check-answers.js';
import { type CheckResponseBody, checkResponseBytes, serializeCheckResponse } from './check-serializer.js';
import type { CachedClients } from './plugins/client-auth.js';
import type { ClientPrincipal } from './principal.js';

const PATH = '/api/v1/checks';
const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);
const REPLAY = Symbol('ssm.checkBody');
const STATE = Symbol('ssm.pendingCheck');

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
type LaneRequest = IncomingMessage & { [STATE]?: PendingCheck; [REPLAY]?: Buffer };
/** The route's body schema, compiled (ajv): it may coerce and fill defaults inside the body, as for the route. */
export type Validate = (data: unknown) => boolean;

export interface LaneParts {
  clients: CachedClients;
  answers: CheckAnswers;
  validate: Validate;
  /** The headers of every business API answer (security headers). */
  headers: Record<string, string>;
  now(): number;
  /** Counts the answer in the request metrics, as Fastify's onResponse hook does for the rest. */
  observe(seconds: number): void;
}

/** For the route: the body a request brought when the lane read it and handed it over. */
export function replayedBody(req: IncomingMessage): Readable | undefined {
  const body = (req as LaneRequest)[REPLAY];
  return body === undefined ? undefined : Readable.from([body], { objectMode: false });
}

export class CheckFastLane {
  private parts: LaneParts | undefined;
  private headerList: string[] = [];
  /** Check requests answered here, and read here but handed to Fastify. */
  private readonly counts = { answered: 0, handedOver: 0 };

  constructor(private readonly bodyLimit: number) {}

  /** Starts taking checks (once the server is ready and the route's validator compiled). */
  open(parts: LaneParts) {
    this.parts = parts;
    this.headerList = ['content-type', 'application/json; charset=utf-8', ...Object.entries(parts.headers).flat()];
  }

  /** From now on Fastify sees every request (it answers 503 while closing and closes connections). */
  close() {
    this.parts = undefined;
  }

  /** The lane's counters in the Prometheus text format. */
  metricsText(): string {
    const name = 'ssm_check_fast_lane_requests_total';
    return [
      `# HELP ${name} Check requests read by the fast lane: answered there, or handed to the framework (to be refused, mostly)`,
      `# TYPE ${name} counter`,
      `${name}{outcome="answered"} ${this.counts.answered}`,
      `${name}{outcome="handed-over"} ${this.counts.handedOver}`,
      '',
    ].join('\n');
  }

  /** Fastify's `serverFactory`: the HTTP server Fastify would make, with the lane in front of it. */
  readonly serverFactory = (handler: Handler, options: Record<string, unknown>): Server => {
    const server = createServer((options.http ?? {}) as object, (req, res) => {
      if (!this.take(req, res, handler)) handler(req, res);
    });
    server.keepAliveTimeout = options.keepAliveTimeout as number;
    server.requestTimeout = options.requestTimeout as number;
    server.setTimeout(options.connectionTimeout as number);
    if ((options.maxRequestsPerSocket as number) > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket as number;
    return server;
  };

  /** Takes the request when it looks like a check it can answer; false leaves it to Fastify, unread. */
  private take(req: IncomingMessage, res: ServerResponse, handler: Handler): boolean {
    const parts = this.parts;
    if (parts === undefined || req.method !== 'POST' || req.url !== PATH) return false;
    const headers = req.headers;
    const length = Number(headers['content-length']);
    if (!(length > 0 && length <= this.bodyLimit) || headers['transfer-encoding'] !== undefined) return false;
    if (!JSON_TYPES.has(headers['content-type'] as string) || headers.authorization === undefined) return false;
    const client = parts.clients.unlimited(headers.authorization);
    if (client === undefined) return false;
    // The request's state rides on the request, read by listeners shared by all: no closures per request.
    (req as LaneRequest)[STATE] = new PendingCheck(this, parts, client, res, handler);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    return true;
  }

  /** Answers the check read, or hands the request to Fastify with its body. */
  finish(req: LaneRequest, check: PendingCheck, raw: Buffer) {
    const answer = this.answer(check, raw);
    if (answer === undefined) this.handOver(req, check, raw);
    else if (answer instanceof Promise)
      answer.then(
        (result) => this.send(req, check, raw, result),
        () => this.handOver(req, check, raw),
      );
    else this.send(req, check, raw, answer);
  }

  /** The answer, or undefined for anything the route would refuse (or fail on): Fastify says how. */
  private answer(check: PendingCheck, raw: Buffer): CheckResponseBody | Promise<CheckResponseBody> | undefined {
    // Identifiers, types and instants are ASCII: read as latin1 (a copy), UTF-8 (decoded) otherwise.
    const text = isAscii(raw) ? raw.toString('latin1') : raw.toString('utf8');
    try {
      // JSON.parse never sets a prototype, and a `__proto__` or `constructor` key is an unknown field
      // to the schema (no additional properties anywhere), so such a body is handed over below.
      const body: unknown = JSON.parse(text);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
      if (!check.parts.validate(body)) return undefined;
      return check.parts.answers.answer(check.client, body as CheckBody, check.parts.now());
    } catch {
      return undefined;
    }
  }

  private send(req: LaneRequest, check: PendingCheck, raw: Buffer, result: CheckResponseBody) {
    // A batch's answer goes out as the bytes written; a single answer as text, which Node sends in one
    // write with the headers (a buffer would be a second write).
    let body: Buffer | string;
    try {
      body = 'results' in result ? checkResponseBytes(result) : serializeCheckResponse(result);
    } catch {
      return this.handOver(req, check, raw);
    }
    // ASCII (see the serializer): as many bytes as characters.
    check.res.writeHead(200, [...this.headerList, 'content-length', String(body.length)]);
    if (typeof body === 'string') check.res.end(body, 'latin1');
    else check.res.end(body);
    this.counts.answered += 1;
    check.parts.observe((performance.now() - check.started) / 1000);
  }

  private handOver(req: LaneRequest, check: PendingCheck, raw: Buffer) {
    this.counts.handedOver += 1;
    req[REPLAY] = raw;
    check.handler(req, check.res);
  }
}

/** A check request being read. */
class PendingCheck {
  readonly chunks: Buffer[] = [];
  readonly started = performance.now();
  constructor(
    readonly lane: CheckFastLane,
    readonly parts: LaneParts,
    readonly client: ClientPrincipal,
    readonly res: ServerResponse,
    readonly handler: Handler,
  ) {}
}

function onData(this: LaneRequest, chunk: Buffer) {
  this[STATE]?.chunks.push(chunk);
}

function onEnd(this: LaneRequest) {
  const check = this[STATE] as PendingCheck;
  const { chunks } = check;
  check.lane.finish(this, check, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
}

/** A client that goes away mid-body: Node closes the socket; there is nothing to answer. */
function onError() {}
