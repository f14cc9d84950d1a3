// Self-service rate limits, per signed-in person and per client address. Business-application
// check routes opt out (config.rateLimit: false): they are the hot path and have their own quotas.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

export async function rateLimitPlugin(server: FastifyInstance, { perMinute }: { perMinute: number }) {
  await server.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: '1 minute',
    hook: 'preHandler',
    keyGenerator: (request) => {
      const p = request.principal;
      if (p?.kind === 'person') return `person:${p.nationalNumber}`;
      if (p?.kind === 'client') return `client:${p.clientId}`;
      return `ip:${request.ip}`;
    },
  });
}
