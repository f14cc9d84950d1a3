// `ssm audit verify`: walks the whole event log, recomputing the hash chain, and checks that
// every mandate row equals the replay of its events. Streams in pages; memory holds one state per mandate.
import { isDeepStrictEqual } from 'node:util';
import { type ChainProblem, GENESIS_HASH, verifyChain } from '../core/chain.js';
import { evolve } from '../core/events.js';
import type { Mandate } from '../core/mandate.js';
import type { Store } from '../store/port.js';

export type AuditResult =
  | { ok: true; events: number; mandates: number; head: { seq: number; hash: string } }
  | {
      ok: false;
      events: number;
      problem: ChainProblem['problem'] | 'head-mismatch' | 'projection-mismatch' | 'projection-missing' | 'projection-extra';
      seq?: number;
      mandateId?: string;
    };

const PAGE = 5000;

export async function verifyAudit(store: Store, onProgress?: (events: number) => void): Promise<AuditResult> {
  let last = { seq: 0, hash: GENESIS_HASH };
  let count = 0;
  const replayed = new Map<string, Mandate>();
  for (;;) {
    const page = await store.readEvents(last.seq, PAGE);
    if (page.length === 0) break;
    const result = verifyChain(page, last);
    if (!result.ok) return { ok: false, events: count, problem: result.problem, seq: result.seq };
    for (const e of page) replayed.set(e.mandateId, evolve(replayed.get(e.mandateId), e));
    last = result.last;
    count += page.length;
    onProgress?.(count);
  }
  const head = await store.head();
  // A deleted tail leaves the chain consistent but shorter than the head recorded by the last commit.
  if (head.seq !== last.seq || head.hash !== last.hash) return { ok: false, events: count, problem: 'head-mismatch', seq: last.seq + 1 };
  const seen = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const rows = await store.scanMandates(after, PAGE);
    if (rows.length === 0) break;
    for (const row of rows) {
      const expected = replayed.get(row.id);
      if (!expected) return { ok: false, events: count, problem: 'projection-extra', mandateId: row.id };
      if (!isDeepStrictEqual(expected, row)) return { ok: false, events: count, problem: 'projection-mismatch', mandateId: row.id };
      seen.add(row.id);
    }
    after = (rows.at(-1) as Mandate).id;
  }
  const missing = [...replayed.keys()].find((id) => !seen.has(id));
  if (missing) return { ok: false, events: count, problem: 'projection-missing', mandateId: missing };
  return { ok: true, events: count, mandates: seen.size, head };
}
