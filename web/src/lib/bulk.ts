// Acting on many mandates at once: what can be selected, which bulk actions the selection allows, the
// batch request they make, and how far a job has come. Pure, so it is unit-tested.
import type { DraftError } from '../wizard/draft.js';
import { finalIdentifierCheck, type PartyKind } from './identifiers.js';
import { availableActions, type Section } from './mandates.js';
import type { BatchJob, Mandate, Party, Role } from './types.js';

/** The mandates chosen on the dashboard for a bulk action (sessionStorage), read by the bulk pages. */
export const SELECTION_KEY = 'ssm.bulk.selection';
/** The answers (reason, new mandatee) of a bulk action in progress. */
export const answersKey = (action: BulkAction) => `ssm.bulk.answers.${action}`;

export interface StoredSelection {
  /** The party acted for when they were chosen (`person:…` / `enterprise:…`). */
  actingFor: string;
  ids: string[];
}

export const BULK_ACTIONS = ['sign', 'stop', 'transfer'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const isBulkAction = (value: unknown): value is BulkAction => BULK_ACTIONS.includes(value as BulkAction);

/** Actions that ask something first (a reason, the new mandatee) before the check page. */
export const BULK_HAS_FORM: Record<BulkAction, boolean> = { sign: false, stop: true, transfer: true };

/** Ended mandates allow no action, so their section has no checkboxes. */
export const isSelectableSection = (section: Section) => section !== 'ended';

/** Can this bulk action be taken on this mandate by the party in role `me`? */
export const allowsBulk = (m: Mandate, me: Role, action: BulkAction) => availableActions(m, me).includes(action);

/** How much of a section is selected: drives its "select all" checkbox (checked, mixed or not). */
export function sectionSelection(ids: readonly string[], selected: ReadonlySet<string>): 'none' | 'some' | 'all' {
  const count = ids.filter((id) => selected.has(id)).length;
  if (count === 0) return 'none';
  return count === ids.length ? 'all' : 'some';
}

/** Selects (or clears) every mandate of a section, leaving other sections' choices alone. */
export function setSection(selected: ReadonlySet<string>, ids: readonly string[], on: boolean): Set<string> {
  const next = new Set(selected);
  for (const id of ids) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return next;
}

export function toggle(selected: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** For each bulk action, the selected mandates it can be taken on. */
export function eligibleBy(items: readonly { mandate: Mandate; me: Role }[], selected: ReadonlySet<string>): Record<BulkAction, Mandate[]> {
  const out: Record<BulkAction, Mandate[]> = { sign: [], stop: [], transfer: [] };
  for (const { mandate, me } of items) {
    if (!selected.has(mandate.id)) continue;
    for (const action of BULK_ACTIONS) if (allowsBulk(mandate, me, action)) out[action].push(mandate);
  }
  return out;
}

export interface BulkDraft {
  reason: string;
  newKind?: PartyKind;
  newId: string;
}

export const emptyBulkDraft = (): BulkDraft => ({ reason: '', newId: '' });

/** The answers' problems: a reason too long, a missing or wrong new mandatee. */
export function validateBulk(action: BulkAction, draft: BulkDraft): DraftError[] {
  if (action === 'stop') return draft.reason.length > 500 ? [{ field: 'reason', key: 'errors.REASON_TOO_LONG' }] : [];
  if (action === 'transfer') {
    if (!draft.newKind) return [{ field: 'new-kind', key: 'wizard.party.kindRequired' }];
    const check = finalIdentifierCheck(draft.newKind, draft.newId);
    if (check.state === 'empty')
      return [{ field: 'new-id', key: draft.newKind === 'person' ? 'wizard.party.idRequiredPerson' : 'wizard.party.idRequiredEnterprise' }];
    if (check.state !== 'valid')
      return [{ field: 'new-id', key: `errors.${check.state === 'invalid' ? check.problem : 'IDENTIFIER_FORMAT'}` }];
  }
  return [];
}

export function newMandateeOf(draft: BulkDraft): Party | undefined {
  if (!draft.newKind) return undefined;
  const check = finalIdentifierCheck(draft.newKind, draft.newId);
  return check.state === 'valid' ? { kind: draft.newKind, id: check.value } : undefined;
}

export interface BulkAnswers {
  reason: string;
  newMandatee?: Party;
}

/** The body of POST /api/v1/batches for an action on these mandates. */
export function bulkRequest(action: BulkAction, mandates: readonly Mandate[], answers: BulkAnswers, onBehalfOf: Party | undefined) {
  const behalf = onBehalfOf ? { onBehalfOf } : {};
  const ids = mandates.map((m) => m.id);
  switch (action) {
    case 'sign':
      return { kind: 'sign-selected', ids, ...behalf };
    case 'stop':
      return { kind: 'stop-selected', ids, reason: answers.reason.trim() || null, ...behalf };
    case 'transfer':
      return {
        kind: 'operations',
        operations: mandates.map((m) => ({ op: 'transfer', id: m.id, version: m.version, mandatee: answers.newMandatee })),
        ...behalf,
      };
  }
}

export const isJobRunning = (job: Pick<BatchJob, 'status'>) => job.status === 'queued' || job.status === 'running';

/** Whole percent of the items with an outcome (a job without items is complete). */
export function jobPercent(job: Pick<BatchJob, 'total' | 'processed'>): number {
  if (job.total <= 0) return 100;
  return Math.min(100, Math.floor((job.processed / job.total) * 100));
}

/** What a screen reader hears of the progress: only every tenth, so a polled bar does not chatter. */
export const announcedPercent = (percent: number) => Math.floor(percent / 10) * 10;

/** A fresh key for a submission, so a repeated click or a retry makes one job, not two. */
export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
