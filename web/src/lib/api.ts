// The HTTP API as the web application calls it: JSON in, JSON or problem+json out. Cookies carry the
// session; the browser adds the Origin header the server checks on state changes.
import type { Language } from './format.js';
import type {
  BatchJob,
  Catalogue,
  CommandResult,
  Contact,
  DryRun,
  ExecutorList,
  HistoryEntry,
  InboxPage,
  JobList,
  JobResult,
  Mandate,
  Party,
  Session,
  WhyAnswer,
} from './types.js';

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

interface CallOptions {
  body?: unknown;
  ifMatch?: number;
  /** A body sent as it is (a file), with its media type. */
  raw?: { data: Blob; type: string };
  /** The language of messages the server writes (bulk results). */
  language?: Language;
  idempotencyKey?: string;
}

async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.raw) headers['Content-Type'] = options.raw.type;
  if (options.ifMatch !== undefined) headers['If-Match'] = `"v${options.ifMatch}"`;
  if (options.language) headers['Accept-Language'] = options.language;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.raw ? { body: options.raw.data } : options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
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

  /** A new proposal on the same terms, signed by the caller (as themself or `onBehalfOf`). */
  renew: (id: string, version: number, onBehalfOf?: Party) =>
    call<CommandResult>('POST', `/api/v1/mandates/${encodeURIComponent(id)}/renew`, {
      body: onBehalfOf ? { onBehalfOf } : {},
      ifMatch: version,
    }),

  why: (body: { mandator: Party; type: string; onBehalfOf?: Party }) => call<WhyAnswer>('POST', '/api/v1/why', { body }),

  inbox: (party: string | undefined, language: Language, options: { limit?: number; cursor?: string | null } = {}) => {
    const query = new URLSearchParams({ lang: language, limit: String(options.limit ?? 20) });
    if (party) query.set('party', party);
    if (options.cursor) query.set('cursor', options.cursor);
    return call<InboxPage>('GET', `/api/v1/inbox?${query}`);
  },

  /** Marks some notifications read, or all of them (`ids` null). */
  markRead: (party: string | undefined, ids: string[] | null) =>
    call<{ marked: number; unread: number }>('POST', `/api/v1/inbox/read${partyQuery(party)}`, {
      body: ids === null ? { all: true } : { ids },
    }),

  contact: (party: string | undefined) => call<Contact>('GET', `/api/v1/contact${partyQuery(party)}`),

  executors: (enterprise: string) => call<ExecutorList>('GET', `/api/v1/enterprises/${enterprise}/executors`),
  /** Exactly these types for the person from now on (none: no longer an executor). */
  setExecutorTypes: (enterprise: string, person: string, types: string[]) =>
    call<unknown>('PUT', `/api/v1/enterprises/${enterprise}/executors/${person}`, { body: { types } }),
  saveContact: (party: string | undefined, change: { email?: string | null; language?: Language | null }, language: Language) =>
    call<Contact>('PUT', `/api/v1/contact${partyQuery(party)}`, { body: change, language }),

  /** A bulk job of JSON operations or a portfolio action: done at once (200) or queued (202, the job alone). */
  submitBatch: (body: Record<string, unknown>, language: Language, idempotencyKey: string) =>
    call<JobResult | BatchJob>('POST', '/api/v1/batches', { body, language, idempotencyKey }),

  /** A CSV file: judged without writing (`dryRun`), or submitted as a job. */
  uploadCsv: (
    file: Blob,
    options: { dryRun: boolean; fileName: string; onBehalfOf: string | undefined; language: Language; idempotencyKey?: string },
  ) => {
    const query = new URLSearchParams({ fileName: options.fileName.slice(0, 200) });
    if (options.dryRun) query.set('dryRun', 'true');
    if (options.onBehalfOf) query.set('onBehalfOf', options.onBehalfOf);
    return call<DryRun | JobResult | BatchJob>('POST', `/api/v1/batches?${query}`, {
      raw: { data: file, type: 'text/csv' },
      language: options.language,
      ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
    });
  },

  job: (id: string, language: Language, options: { status?: string; limit?: number } = {}) => {
    const query = new URLSearchParams({ limit: String(options.limit ?? 100) });
    if (options.status) query.set('status', options.status);
    return call<JobResult>('GET', `/api/v1/batches/${encodeURIComponent(id)}?${query}`, { language });
  },

  jobs: (cursor?: string | null) =>
    call<JobList>('GET', `/api/v1/batches?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),

  cancelJob: (id: string) => call<BatchJob>('POST', `/api/v1/batches/${encodeURIComponent(id)}/cancel`),

  /** The report of a job as a file, its messages in the reader's language. */
  async jobReport(id: string, language: Language): Promise<Blob> {
    let response: Response;
    try {
      response = await fetch(jobReportUrl(id), {
        headers: { Accept: 'text/csv', 'Accept-Language': language },
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'NETWORK', 'The service cannot be reached.');
    }
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as Problem;
      throw new ApiError(response.status, problem.code ?? 'UNKNOWN', problem.detail ?? response.statusText, problem.field, problem.details);
    }
    return response.blob();
  },
};

const partyQuery = (party: string | undefined) => (party ? `?party=${encodeURIComponent(party)}` : '');

/** The PDF proof of a mandate in a language (a plain link: the browser downloads it with the session cookie). */
export const proofUrl = (id: string, language: Language) => `/api/v1/mandates/${encodeURIComponent(id)}/proof.pdf?lang=${language}`;
/** My mandates (or the enterprise's acted for) as a CSV file for Excel. */
export const exportUrl = (party: string | undefined) => `/api/v1/mandates/export.csv${partyQuery(party)}`;
export const jobReportUrl = (id: string) => `/api/v1/batches/${encodeURIComponent(id)}/report.csv`;
/** The job itself, whether the submission answered it done (with items) or queued. */
export const jobOf = (answer: JobResult | BatchJob): BatchJob => ('job' in answer ? answer.job : answer);

/** Where to send someone who must sign in again before signing, to come back to this page. */
export const reauthenticateUrl = (returnTo: string) => `/auth/login?max_age=0&returnTo=${encodeURIComponent(returnTo)}`;
export const signInUrl = (returnTo: string) => `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
