// UUIDv7 identifiers made by the application: time-ordered, so keyset pagination and index
// locality work on both dialects, and no database sequence is needed for ids. Random bits come from
// a pooled buffer: one call into the crypto library per thousands of ids (bulk jobs make many).
import { randomBytes } from 'node:crypto';

const POOL_IDS = 4096;
let pool = Buffer.alloc(0);
let offset = 0;
let lastMs = 0;
let counter = 0;

export function uuidv7(now = Date.now()): string {
  if (offset + 16 > pool.length) {
    pool = randomBytes(16 * POOL_IDS);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + 16);
  offset += 16;
  // A 12-bit counter keeps ids made in the same millisecond in order.
  if (now <= lastMs) {
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
  } else {
    lastMs = now;
    counter = 0;
  }
  bytes.writeUIntBE(lastMs, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
