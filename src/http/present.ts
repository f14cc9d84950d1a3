// How a mandate is shown over HTTP: the stored fields plus what is derived now (effective state,
// whose signature it waits for).
import type { StoredEvent } from '../core/events.js';
import { effectiveState, type Mandate, missingSigners, otherRole } from '../core/mandate.js';

export function presentMandate(m: Mandate, now: Date) {
  const waitingFor =
    m.status === 'pending'
      ? missingSigners(m)
      : m.status === 'signed' && m.pendingAmendment
        ? [otherRole(m.pendingAmendment.proposedBy)]
        : [];
  return { ...m, state: effectiveState(m, now), waitingFor };
}

export function presentHistory(events: StoredEvent[]) {
  return events.map((e) => ({
    seq: e.seq,
    type: e.type,
    version: e.version,
    at: e.at,
    actor: e.actor,
    onBehalfOf: e.onBehalfOf,
    data: e.data as Record<string, unknown>,
    hash: e.hash,
  }));
}

/** `"v3"`, `W/"v3"` or `3` → 3. */
export function parseIfMatch(header: string | undefined): number | undefined {
  const match = header?.trim().match(/^(?:W\/)?"?v?(\d{1,9})"?$/);
  return match ? Number(match[1]) : undefined;
}

export const etagOf = (m: Pick<Mandate, 'version'>) => `"v${m.version}"`;
