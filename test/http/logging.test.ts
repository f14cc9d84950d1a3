// Request logging: lines carry the request id and mask identifiers; the hot path writes none.
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { expect, it } from 'vitest';
import { logController, loggerOptions, requestLogger } from '../../src/http/logging.js';

async function serverWithLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const server = Fastify({
    logger: { ...(loggerOptions('info') as object), stream },
    logController: logController(),
    childLoggerFactory: requestLogger,
    genReqId: (req) => String(req.headers['x-request-id'] ?? 'none'),
  });
  server.get('/quiet', { config: { requestLog: false } }, async () => ({ ok: true }));
  server.get('/talks', async (request) => {
    request.log.warn({ person: { nationalNumber: '85073003328' } }, 'something to know');
    request.log.debug('below the level: never written');
    return { ok: true };
  });
  await server.ready();
  return { server, lines };
}

it('writes request lines with the request id, masks what must not be logged, and nothing for quiet routes', async () => {
  const { server, lines } = await serverWithLog();
  await server.inject({ url: '/quiet', headers: { 'x-request-id': 'q-1' } });
  expect(lines.filter((l) => l.reqId === 'q-1')).toEqual([]);

  await server.inject({ url: '/talks', headers: { 'x-request-id': 't-1' } });
  const mine = lines.filter((l) => l.reqId === 't-1');
  expect(mine.map((l) => l.msg)).toEqual(['incoming request', 'something to know', 'request completed']);
  expect(mine[1]).toMatchObject({ level: 40, person: { nationalNumber: '[redacted]' } });
  expect(JSON.stringify(lines)).not.toContain('85073003328');
  expect(JSON.stringify(lines)).not.toContain('below the level');
  await server.close();
});
