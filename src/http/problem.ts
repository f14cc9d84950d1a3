// RFC 9457 problem details: the one shape of every refusal and error the API returns.
import type { FastifyReply } from 'fastify';
import { REFUSAL_CODES, type Refusal } from '../core/refusal.js';

export const PROBLEM_BASE = 'https://ssm.example/problems/';

/** An HTTP-level refusal with a stable code; thrown by plugins and routes, rendered by the error handler. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  static fromRefusal(r: Refusal): HttpProblem {
    return new HttpProblem(REFUSAL_CODES[r.code], r.code, r.message, r.field, r.details);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Request too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

export function sendProblem(reply: FastifyReply, p: HttpProblem) {
  if (p.headers) reply.headers(p.headers);
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({
      type: `${PROBLEM_BASE}${p.code.toLowerCase().replace(/_/g, '-')}`,
      title: TITLES[p.status] ?? 'Error',
      status: p.status,
      code: p.code,
      detail: p.message,
      ...(p.field === undefined ? {} : { field: p.field }),
      ...(p.details === undefined ? {} : { details: p.details }),
      instance: reply.request.url.split('?')[0],
      requestId: reply.request.id,
    });
}
