// CSV uploads: the request body is streamed to a temporary file as it arrives, hashed on the way,
// and parsed from there as a stream; the body the route (and the Idempotency-Key fingerprint) sees is
// the file's hash and size. The file is removed once the request is answered or aborted.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** CSV uploads are spooled (never held in memory) up to this size. */
export const CSV_BODY_LIMIT = 128 * 1024 * 1024;
export const CSV_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel'];
const SPOOL = Symbol('csv spool');
type Spool = { dir: string; file: string };
type SpooledRequest = FastifyRequest['raw'] & { [SPOOL]?: Spool };

/** Streams the request body to a temporary file, hashing it; bigger than the limit is a 413. */
async function spool(payload: NodeJS.ReadableStream): Promise<{ body: { csv: { sha256: string; bytes: number } }; spool: Spool }> {
  const dir = await mkdtemp(join(tmpdir(), 'ssm-upload-'));
  const file = join(dir, 'upload.csv');
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(file);
      payload.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > CSV_BODY_LIMIT) {
          const tooLarge = Object.assign(new Error('The CSV file is too large.'), { statusCode: 413 });
          (payload as Readable).destroy?.();
          out.destroy();
          reject(tooLarge);
          return;
        }
        hash.update(chunk);
        if (!out.write(chunk)) {
          (payload as Readable).pause();
          out.once('drain', () => (payload as Readable).resume());
        }
      });
      payload.on('end', () => out.end(() => resolve()));
      payload.on('error', reject);
      out.on('error', reject);
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { body: { csv: { sha256: hash.digest('hex'), bytes } }, spool: { dir, file } };
}

/** Accepts CSV bodies in this plugin's routes: spooled to disk, the body being `{csv: {sha256, bytes}}`. */
export function acceptCsvUploads(server: FastifyInstance) {
  server.addContentTypeParser(CSV_TYPES, (request, payload, done) => {
    spool(payload).then(
      (spooled) => {
        (request.raw as SpooledRequest)[SPOOL] = spooled.spool;
        done(null, spooled.body);
      },
      (error: Error) => done(error),
    );
  });
  const drop = async (request: FastifyRequest) => {
    const raw = request.raw as SpooledRequest;
    const spooled = raw[SPOOL];
    if (spooled) {
      delete raw[SPOOL];
      await rm(spooled.dir, { recursive: true, force: true });
    }
  };
  server.addHook('onResponse', drop);
  server.addHook('onRequestAbort', drop);
}

/** The spooled CSV file of a request, if its body was one. */
export const spooledFile = (request: FastifyRequest): string | undefined => (request.raw as SpooledRequest)[SPOOL]?.file;
