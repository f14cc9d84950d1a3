// Turns every error into problem+json: validation errors name the field, refusals keep their code,
// and anything unexpected is logged in full but masked for the client (no stack, no SQL).
import type { FastifyError, FastifyInstance } from 'fastify';
import { HttpProblem, sendProblem } from '../problem.js';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/mandatee/id` plus ajv's params → `mandatee.id` (or the offending extra/missing property). */
function fieldOf(issue: AjvIssue, context: string | undefined): string {
  const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const extra = (issue.params.additionalProperty ?? issue.params.missingProperty) as string | undefined;
  const field = [path, extra].filter(Boolean).join('.');
  return field || (context === 'body' ? 'body' : (context ?? 'request'));
}

export async function errorsPlugin(server: FastifyInstance) {
  server.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpProblem) return sendProblem(reply, error);
    if (error.validation) {
      const issue = error.validation[0] as unknown as AjvIssue;
      const field = fieldOf(issue, error.validationContext);
      const code =
        issue.keyword === 'additionalProperties'
          ? 'REQUEST_UNKNOWN_FIELD'
          : issue.keyword === 'required'
            ? 'REQUEST_FIELD_MISSING'
            : 'REQUEST_INVALID';
      const where =
        error.validationContext === 'querystring' ? 'query parameter' : error.validationContext === 'headers' ? 'header' : 'field';
      return sendProblem(reply, new HttpProblem(400, code, `The ${where} ${field} ${issue.message ?? 'is invalid'}.`, field));
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return sendProblem(reply, new HttpProblem(413, 'REQUEST_TOO_LARGE', 'The request body is too large.', 'body'));
    if (status === 415) return sendProblem(reply, new HttpProblem(415, 'MEDIA_TYPE_UNSUPPORTED', 'Send application/json.', 'Content-Type'));
    if (status === 429)
      return sendProblem(reply, new HttpProblem(429, 'RATE_LIMITED', 'Too many requests; slow down.', undefined, undefined, {}));
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (malformed JSON, bad content length …): their message is safe and useful.
      return sendProblem(reply, new HttpProblem(status, error.code ?? 'REQUEST_INVALID', error.message, 'body'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, new HttpProblem(500, 'INTERNAL', 'Something went wrong on our side; it has been logged.'));
  });
  server.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new HttpProblem(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`)),
  );
}
