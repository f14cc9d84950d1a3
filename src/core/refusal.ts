// Refusals: the typed, stable answer of the domain when a rule says no. Never thrown.
export const REFUSAL_CODES = {
  IDENTIFIER_FORMAT: 400,
  IDENTIFIER_DATE: 400,
  IDENTIFIER_CHECK_DIGIT: 400,
  PARTY_INVALID: 400,
  PARTY_KIND: 400,
  PARTY_KIND_NOT_ALLOWED: 422,
  PARTIES_IDENTICAL: 422,
  TYPE_UNKNOWN: 422,
  LANGUAGE_UNKNOWN: 400,
  REFERENCE_TOO_LONG: 400,
  REASON_TOO_LONG: 400,
  DATE_INVALID: 400,
  VALIDITY_BACKDATED: 422,
  VALIDITY_END_BEFORE_START: 422,
  VALIDITY_UNLIMITED_FORBIDDEN: 422,
  VALIDITY_TOO_LONG: 422,
  MANDATE_DUPLICATE: 409,
  MANDATE_NOT_FOUND: 404,
  /** The actor acts for a party that is not a party to this mandate: shown as not found. */
  MANDATE_NOT_PARTY: 404,
  ACTOR_NOT_REPRESENTATIVE: 403,
  ACTOR_NOT_SIGNER: 409,
  MANDATE_ALREADY_SIGNED: 409,
  MANDATE_STATUS: 409,
  MANDATE_ENDED: 409,
  MANDATE_VERSION_STALE: 412,
  MANDATE_NOT_LAPSABLE: 409,
  AMENDMENT_NO_CHANGE: 422,
  AMENDMENT_PENDING: 409,
  AMENDMENT_NONE: 409,
  AMENDMENT_START_LOCKED: 422,
  TRANSFER_SAME_MANDATEE: 422,
  TRANSFER_PENDING: 409,
  SIGNATURE_AUTH_TOO_OLD: 401,
  EXECUTOR_TYPE_NOT_FOR_ENTERPRISES: 422,
  EXECUTOR_TYPES_TOO_MANY: 400,
} as const;

export type RefusalCode = keyof typeof REFUSAL_CODES;

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** The input field at fault, as a dotted path (e.g. `mandatee.id`), when one is. */
  field?: string;
  /** Extra facts a client may act on, e.g. the id of the mandate a duplicate clashes with. */
  details?: Record<string, unknown>;
}

export const refusal = (code: RefusalCode, message: string, field?: string, details?: Record<string, unknown>): Refusal => ({
  code,
  message,
  ...(field === undefined ? {} : { field }),
  ...(details === undefined ? {} : { details }),
});
