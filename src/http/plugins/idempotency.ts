// Idempotency-Key: a retried state-changing request with the same key gets the first answer
// again instead of acting twice. Keys are scoped to the caller; the same key with another request is refused.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canonicalJson } from '../../core/canonical.js';
import type { Store } from '../../store/port.js';
import { HttpProblem } from '../problem.js';

const REPLAYED_HEADERS = ['content-type', 'etag', 'location', 'ssm-cursor'];
const reservations = new WeakMap<FastifyRequest, { scope: string; key: string }>();

const scopeOf = (request: FastifyRequest) => {
  const p = request.principal;
  if (!p) return undefined;
  return p.kind === 'person' ? `person:${p.nationalNumber}` : `client:${p.clientId}`;
};

export async function idempotencyPlugin(server: FastifyInstance, { store }: { store: Store }) {
  server.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined) return;
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new HttpProblem(400, 'REQUEST_INVALID', 'Idempotency-Key is 1 to 255 visible ASCII characters.', 'Idempotency-Key');
    }
    const scope = scopeOf(request);
    if (!scope) return; // anonymous requests are refused by the route anyway
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${request.headers['if-match'] ?? ''}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    if (await store.reserveIdempotent(scope, key, fingerprint)) {
      reservations.set(request, { scope, key });
      return;
    }
    const first = await store.findIdempotent(scope, key);
    if (!first)
      throw new HttpProblem(
        409,
        'IDEMPOTENCY_IN_PROGRESS',
        'A request with this Idempotency-Key is being answered; retry shortly.',
        'Idempotency-Key',
      );
    if (first.fingerprint !== fingerprint) {
      throw new HttpProblem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request.', 'Idempotency-Key');
    }
    if (first.status === null) {
      throw new HttpProblem(
        409,
        'IDEMPOTENCY_IN_PROGRESS',
        'A request with this Idempotency-Key is being answered; retry shortly.',
        'Idempotency-Key',
      );
    }
    reply.code(first.status).headers({ ...first.headers, 'idempotent-replayed': 'true' });
    return reply.send(first.body);
  });

  server.addHook('onSend', async (request, reply, payload) => {
    const reservation = reservations.get(request);
    if (!reservation) return payload;
    reservations.delete(request);
    // Server errors are not remembered: the retry the key exists for should get a real second try.
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      await store.settleIdempotent(reservation.scope, reservation.key, null);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    await store.settleIdempotent(reservation.scope, reservation.key, { status: reply.statusCode, headers, body: payload });
    return payload;
  });
}
