// The operations a bulk job carries, read from untrusted JSON one by one: an item that cannot be read
// becomes an `invalid` operation (refused with its reason) instead of failing the whole job.
import type { CreateInput } from '../core/command.js';
import { type CalendarDate, isCalendarDate } from '../core/dates.js';
import { type Party, parseParty } from '../core/party.js';
import { type RefusalCode, refusal } from '../core/refusal.js';
import { parseCreateInput } from './create-mandate.js';

export const OPERATION_KINDS = ['create', 'sign', 'refuse', 'withdraw', 'stop', 'amend', 'transfer'] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** Codes of bulk problems that are not refusals of the domain core (see bulk-messages.ts). */
export type BulkCode =
  | 'BULK_OPERATION_UNKNOWN'
  | 'BULK_VALUE_MISSING'
  | 'BULK_VALUE_INVALID'
  | 'CSV_COLUMNS'
  | 'CSV_ENCODING'
  | 'CSV_EMPTY'
  | 'CSV_NO_ROWS'
  | 'CSV_HEADER'
  | 'CSV_MALFORMED'
  | 'CSV_TOO_MANY_ROWS'
  | 'ITEM_SKIPPED';

/** Why an item is refused: a core refusal or a bulk problem, naming the field at fault. */
export interface ItemProblem {
  code: RefusalCode | BulkCode;
  message: string;
  field?: string;
  details?: Record<string, unknown>;
}

interface Common {
  /** The party to act for, if not the job's. */
  onBehalfOf?: Party;
  /** The version the submitter saw (like If-Match); stale means refused. */
  version?: number;
}

export type BulkOperation =
  | ({ op: 'create'; input: CreateInput; email?: string } & Common)
  | ({ op: 'sign'; id: string } & Common)
  | ({ op: 'withdraw'; id: string } & Common)
  | ({ op: 'refuse' | 'stop'; id: string; reason: string | null } & Common)
  | ({ op: 'amend'; id: string; validFrom?: CalendarDate; validUntil?: CalendarDate | null } & Common)
  | ({ op: 'transfer'; id: string; mandatee: Party } & Common)
  /** An item that could not be read; `attempted` is the operation it named, if any. */
  | { op: 'invalid'; attempted: string | null; problem: ItemProblem; cells?: Record<string, string> };

export const problem = (code: ItemProblem['code'], message: string, field?: string, details?: Record<string, unknown>): ItemProblem => ({
  code,
  message,
  ...(field === undefined ? {} : { field }),
  ...(details === undefined ? {} : { details }),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isMandateId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: ItemProblem };
const fail = (p: ItemProblem) => ({ ok: false as const, problem: p });

function parseCommon(raw: Record<string, unknown>): Parsed<Common> {
  const common: Common = {};
  if (raw.onBehalfOf !== undefined && raw.onBehalfOf !== null) {
    const as = parseParty(raw.onBehalfOf, 'onBehalfOf');
    if (!as.ok) return fail(as.refusal);
    common.onBehalfOf = as.value;
  }
  if (raw.version !== undefined && raw.version !== null) {
    if (!Number.isInteger(raw.version) || (raw.version as number) < 1) {
      return fail(problem('BULK_VALUE_INVALID', 'version is a positive integer.', 'version'));
    }
    common.version = raw.version as number;
  }
  return { ok: true, value: common };
}

function text(raw: unknown, field: string): Parsed<string | null> {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  if (typeof raw !== 'string') return fail(problem('BULK_VALUE_INVALID', `${field} is text.`, field));
  const trimmed = raw.trim();
  return { ok: true, value: trimmed === '' ? null : trimmed };
}

/** Reads one operation of a JSON job: `{"op":"create","mandate":{…}}`, `{"op":"sign","id":"…"}`, … */
export function parseJsonOperation(raw: unknown): BulkOperation {
  const invalid = (p: ItemProblem, attempted: string | null = null): BulkOperation => ({ op: 'invalid', attempted, problem: p });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return invalid(problem('BULK_OPERATION_UNKNOWN', 'An operation is an object with an "op".', 'op'));
  }
  const item = raw as Record<string, unknown>;
  const op = item.op ?? 'create';
  if (typeof op !== 'string' || !OPERATION_KINDS.includes(op as OperationKind)) {
    return invalid(problem('BULK_OPERATION_UNKNOWN', `op is one of ${OPERATION_KINDS.join(', ')}.`, 'op'));
  }
  const common = parseCommon(item);
  if (!common.ok) return invalid(common.problem, op);
  if (op === 'create') {
    const mandate = (item.mandate ?? {}) as Record<string, unknown>;
    if (typeof mandate !== 'object' || mandate === null)
      return invalid(problem('BULK_VALUE_MISSING', 'A create needs a mandate.', 'mandate'), op);
    const parsed = parseCreateInput(mandate);
    if (!parsed.ok) return invalid({ ...parsed.refusal, field: `mandate.${parsed.refusal.field ?? ''}`.replace(/\.$/, '') }, op);
    const as = mandate.onBehalfOf === undefined ? undefined : parseParty(mandate.onBehalfOf, 'mandate.onBehalfOf');
    if (as && !as.ok) return invalid(as.refusal, op);
    return { op, input: parsed.input, ...common.value, ...(as?.ok ? { onBehalfOf: as.value } : {}) };
  }
  if (!isMandateId(item.id)) return invalid(problem('BULK_VALUE_INVALID', 'id is the id of a mandate (a UUID).', 'id'), op);
  const id = item.id.toLowerCase();
  switch (op) {
    case 'sign':
      return { op, id, ...common.value };
    case 'withdraw':
      return { op, id, ...common.value };
    case 'refuse':
    case 'stop': {
      const reason = text(item.reason, 'reason');
      if (!reason.ok) return invalid(reason.problem, op);
      return { op, id, reason: reason.value, ...common.value };
    }
    case 'amend': {
      const change: { validFrom?: CalendarDate; validUntil?: CalendarDate | null } = {};
      if (item.validFrom !== undefined) {
        if (!isCalendarDate(item.validFrom))
          return invalid(refusal('DATE_INVALID', 'validFrom is a calendar date (YYYY-MM-DD).', 'validFrom'), op);
        change.validFrom = item.validFrom;
      }
      if (item.validUntil !== undefined) {
        if (item.validUntil !== null && !isCalendarDate(item.validUntil)) {
          return invalid(refusal('DATE_INVALID', 'validUntil is a calendar date (YYYY-MM-DD), or null for unlimited.', 'validUntil'), op);
        }
        change.validUntil = item.validUntil;
      }
      return { op, id, ...change, ...common.value };
    }
    default: {
      const mandatee = parseParty(item.mandatee, 'mandatee');
      if (!mandatee.ok) return invalid(mandatee.refusal, op);
      return { op: 'transfer', id, mandatee: mandatee.value, ...common.value };
    }
  }
}

/** Does carrying out this operation record a signature (so the submitter's sign-in must be recent)? */
export const signsSomething = (op: BulkOperation) => op.op === 'create' || op.op === 'sign' || op.op === 'amend' || op.op === 'transfer';
