// Table shapes as Kysely sees them. JSON is kept as text so both dialects store (and hash) the same bytes.
export interface EventsTable {
  seq: number;
  mandate_id: string;
  version: number;
  type: string;
  at: string;
  actor: string;
  on_behalf_of: string | null;
  data: string;
  prev_hash: string;
  hash: string;
}

export interface MandatesTable {
  id: string;
  type: string;
  domain: string;
  mandator_kind: string;
  mandator_id: string;
  mandatee_kind: string;
  mandatee_id: string;
  valid_from: string;
  valid_until: string | null;
  reference: string | null;
  language: string;
  status: string;
  version: number;
  content_hash: string;
  signatures: string;
  pending_amendment: string | null;
  proposal_expires_at: string | null;
  predecessor_id: string | null;
  successor_id: string | null;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
  ended_by: string | null;
  end_reason: string | null;
  last_seq: number;
}

export interface ChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface RepresentativesTable {
  enterprise_id: string;
  person_id: string;
  source: string;
  created_at: string;
}

export interface ExecutorsTable {
  enterprise_id: string;
  person_id: string;
  type: string;
  created_at: string;
}

export interface CatalogueVersionsTable {
  version: string;
  content: string;
  loaded_at: string;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: string;
  retired_at: string | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  fingerprint: string;
  /** Null while the first request is still being answered. */
  status: number | null;
  headers: string | null;
  body: string | null;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the session id: the id itself is only ever in the person's cookie. */
  id_hash: string;
  national_number: string;
  name: string | null;
  auth_time: string;
  acr: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface PendingLoginsTable {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  max_age: number | null;
  created_at: string;
  expires_at: string;
}

export interface AuthSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface ClientsTable {
  id: string;
  name: string;
  domain: string;
  /** JSON array of type ids, or null for every type of the domain. */
  types: string | null;
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
  /** Requests per second allowed; null for no quota. */
  quota_per_second: number | null;
}

export interface WebhooksTable {
  id: string;
  client_id: string;
  url: string;
  /** The HMAC key; kept in clear because the service must sign with it. */
  secret: string;
  /** The webhook receives the events after this position of the log. */
  after_seq: number;
  created_at: string;
  disabled_at: string | null;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  seq: number;
  mandate_id: string;
  attempts: number;
  next_attempt_at: string;
  status: string;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface FeedCursorsTable {
  name: string;
  seq: number;
}

export interface Database {
  sessions: SessionsTable;
  pending_logins: PendingLoginsTable;
  auth_secrets: AuthSecretsTable;
  idempotency_keys: IdempotencyKeysTable;
  events: EventsTable;
  mandates: MandatesTable;
  chain_head: ChainHeadTable;
  representatives: RepresentativesTable;
  executors: ExecutorsTable;
  catalogue_versions: CatalogueVersionsTable;
  signing_keys: SigningKeysTable;
  clients: ClientsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  feed_cursors: FeedCursorsTable;
}
