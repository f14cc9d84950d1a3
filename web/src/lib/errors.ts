// Every problem code the API can answer with, so each one has a translated message. Refusal codes
// come from the domain core; the rest are raised by the HTTP layer (validation, sessions, limits).
import { REFUSAL_CODES } from '../../../src/core/refusal.js';

export const HTTP_ERROR_CODES = [
  'REQUEST_INVALID',
  'REQUEST_UNKNOWN_FIELD',
  'REQUEST_FIELD_MISSING',
  'REQUEST_TOO_LARGE',
  'MEDIA_TYPE_UNSUPPORTED',
  'PRECONDITION_REQUIRED',
  'RATE_LIMITED',
  'ROUTE_NOT_FOUND',
  'CSRF_ORIGIN',
  'IDEMPOTENCY_IN_PROGRESS',
  'IDEMPOTENCY_KEY_REUSED',
  'STORE_UNREACHABLE',
  'INTERNAL',
  'AUTHENTICATION_REQUIRED',
  'AUTH_TOKEN_INVALID',
  'PERSON_REQUIRED',
  'AUTH_RETURN_TO_INVALID',
  'AUTH_STATE_INVALID',
  'AUTH_CODE_INVALID',
  'AUTH_IDENTITY_INVALID',
  'AUTH_ID_TOKEN_INVALID',
  'AUTH_REFUSED',
  'AUTH_PROVIDER_UNAVAILABLE',
  'CLIENT_AUTHENTICATION_REQUIRED',
  'CLIENT_AUTHENTICATION_FAILED',
  'CLIENT_TOKEN_INVALID',
  'CLIENT_QUOTA_EXCEEDED',
  'CONFIRMATION_INVALID',
  'MAIL_NOT_FOUND',
  'DOMAIN_NOT_IN_SCOPE',
  'TYPE_NOT_IN_SCOPE',
  'ENTERPRISE_NOT_FOUND',
  'BATCH_NOT_FOUND',
  'BATCH_ENDED',
  'BATCH_EMPTY',
  'BATCH_TOO_LARGE',
  'CSV_EMPTY',
  'CSV_NO_ROWS',
  'CSV_ENCODING',
  'CSV_HEADER',
  'CSV_MALFORMED',
  'CSV_TOO_MANY_ROWS',
  'EMAIL_INVALID',
  'RENEWAL_UNLIMITED',
] as const;

/** Problems of the browser's own making: no answer at all, or an answer that is not problem+json. */
export const CLIENT_ERROR_CODES = ['NETWORK', 'UNEXPECTED_RESPONSE', 'UNKNOWN'] as const;

export const REFUSAL_ERROR_CODES = Object.keys(REFUSAL_CODES) as (keyof typeof REFUSAL_CODES)[];

export const KNOWN_ERROR_CODES: readonly string[] = [...REFUSAL_ERROR_CODES, ...HTTP_ERROR_CODES, ...CLIENT_ERROR_CODES];

/** The i18n key of the message for a problem code; an unknown code gets the generic message. */
export function errorMessageKey(code: string): string {
  return KNOWN_ERROR_CODES.includes(code) ? `errors.${code}` : 'errors.UNKNOWN';
}

/** Codes meaning "sign in again before signing" rather than an error to correct. */
export const REAUTHENTICATE_CODES: readonly string[] = ['SIGNATURE_AUTH_TOO_OLD'];
