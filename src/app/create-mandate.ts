// Create a mandate: parse untrusted input into a command (naming the field at fault), then run it.
import type { Actor, CreateInput } from '../core/command.js';
import { isCalendarDate } from '../core/dates.js';
import { isLanguage, type Party, parseParty } from '../core/party.js';
import { type Refusal, refusal } from '../core/refusal.js';
import type { AppContext } from './context.js';
import { uuidv7 } from './ids.js';
import { type CommandResult, runCommand } from './run-command.js';

export interface RawCreateInput {
  type?: unknown;
  mandator?: unknown;
  mandatee?: unknown;
  validFrom?: unknown;
  validUntil?: unknown;
  reference?: unknown;
  language?: unknown;
}

export function parseCreateInput(raw: RawCreateInput): { ok: true; input: CreateInput } | { ok: false; refusal: Refusal } {
  const fail = (r: Refusal) => ({ ok: false as const, refusal: r });
  if (typeof raw.type !== 'string' || raw.type.length === 0) return fail(refusal('TYPE_UNKNOWN', 'Name a mandate type.', 'type'));
  const mandator = parseParty(raw.mandator, 'mandator');
  if (!mandator.ok) return mandator;
  const mandatee = parseParty(raw.mandatee, 'mandatee');
  if (!mandatee.ok) return mandatee;
  if (!isCalendarDate(raw.validFrom)) return fail(refusal('DATE_INVALID', 'validFrom is a calendar date (YYYY-MM-DD).', 'validFrom'));
  const validUntil = raw.validUntil ?? null;
  if (validUntil !== null && !isCalendarDate(validUntil)) {
    return fail(refusal('DATE_INVALID', 'validUntil is a calendar date (YYYY-MM-DD), or null for unlimited.', 'validUntil'));
  }
  const reference = typeof raw.reference === 'string' && raw.reference.trim() !== '' ? raw.reference.trim() : null;
  if (raw.reference !== undefined && raw.reference !== null && typeof raw.reference !== 'string') {
    return fail(refusal('REFERENCE_TOO_LONG', 'reference is text.', 'reference'));
  }
  const language = raw.language ?? 'nl';
  if (!isLanguage(language)) return fail(refusal('LANGUAGE_UNKNOWN', 'language is one of nl, fr, de, en.', 'language'));
  return {
    ok: true,
    input: {
      type: raw.type,
      mandator: mandator.value,
      mandatee: mandatee.value,
      validFrom: raw.validFrom,
      validUntil,
      reference,
      language,
    },
  };
}

export async function createMandate(app: AppContext, actor: Actor, as: Party | null, raw: RawCreateInput): Promise<CommandResult> {
  const parsed = parseCreateInput(raw);
  if (!parsed.ok) return parsed;
  return runCommand(app, { actor, as, command: { kind: 'create', id: uuidv7(app.now().getTime()), input: parsed.input } });
}
