// The HTTP ceiling: a bare Fastify route answering a constant JSON, no logging, nothing else.
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? 0);
const server = Fastify({ logger: false });
const answer = {
  allowed: true,
  reason: 'active',
  mandate: { id: '01a20e1c-076e-7008-a06a-151f7bd5fe86', validFrom: '2026-01-01', validUntil: null },
  cursor: 1,
};
server.post('/api/v1/checks', async () => answer);
await server.listen({ port, host: '127.0.0.1' });
process.stdout.write(`listening ${port}\n`);
