// The HTTP API as the web application calls it: JSON in, JSON or problem+json out. Cookies carry the
// session; the browser adds the Origin header the server checks on state changes.
import type { Catalogue, CommandResult, HistoryEntry, Mandate, Party, Session } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

interface Problem {
  code?: string;
  detail?: string;
  field?: string;
  details?: Record<string, unknown>;
}

async function call<T>(method: string, path: string, options: { body?: unknown; ifMatch?: number } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['If-Match'] = `"v${options.ifMatch}"`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The service cannot be reached.');
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', 'The answer is not JSON.');
  }
  if (!response.ok) {
    const problem = (json ?? {}) as Problem;
    throw new ApiError(response.status, problem.code ?? 'UNKNOWN', problem.detail ?? response.statusText, problem.field, problem.details);
  }
  return json as T;
}

export type MandateAction = 'sign' | 'refuse' | 'withdraw' | 'stop' | 'amendments' | 'transfer';

export interface CreateMandateBody {
  type: string;
  mandator: Party;
  mandatee: Party;
  validFrom: string;
  validUntil: string | null;
  reference: string | null;
  language: string;
  onBehalfOf?: Party;
}

/** Lists can be long: follow the cursor up to this many mandates; the dashboard says when it stopped. */
export const LIST_CAP = 1000;

export const api = {
  /** Who is signed in, or null when nobody is. */
  async session(): Promise<Session | null> {
    try {
      return await call<Session>('GET', '/api/v1/session');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },

  catalogue: () => call<Catalogue>('GET', '/api/v1/catalogue'),

  /** All mandates of the party acted for (an enterprise number, or undefined for oneself). */
  async listMandates(party: string | undefined): Promise<{ items: Mandate[]; truncated: boolean }> {
    const items: Mandate[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '500' });
      if (party) query.set('party', party);
      if (cursor) query.set('cursor', cursor);
      const page: { items: Mandate[]; next: string | null } = await call('GET', `/api/v1/mandates?${query}`);
      items.push(...page.items);
      cursor = page.next;
    } while (cursor && items.length < LIST_CAP);
    return { items, truncated: cursor !== null };
  },

  getMandate: (id: string) => call<{ mandate: Mandate; history: HistoryEntry[] }>('GET', `/api/v1/mandates/${encodeURIComponent(id)}`),

  createMandate: (body: CreateMandateBody) => call<CommandResult>('POST', '/api/v1/mandates', { body }),

  act: (id: string, action: MandateAction, version: number, body: Record<string, unknown>) =>
    call<CommandResult>('POST', `/api/v1/mandates/${encodeURIComponent(id)}/${action}`, { body, ifMatch: version }),
};

/** Where to send someone who must sign in again before signing, to come back to this page. */
export const reauthenticateUrl = (returnTo: string) => `/auth/login?max_age=0&returnTo=${encodeURIComponent(returnTo)}`;
export const signInUrl = (returnTo: string) => `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
