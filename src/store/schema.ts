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

export interface RegistryHeadTable {
  id: number;
  seq: number;
}

export interface RegistryChangesTable {
  seq: number;
  at: string;
  actor: string;
  role: string;
  change: string;
  enterprise_id: string;
  person_id: string;
  type: string | null;
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
  /** The secret replaced by the last rotation, accepted until previous_secret_until. */
  previous_secret_hash: string | null;
  previous_secret_until: string | null;
  secret_rotated_at: string | null;
  created_at: string;
  revoked_at: string | null;
  /** Requests per second allowed; null for no quota. */
  quota_per_second: number | null;
}

/** An operator's action on a business application's access (append-only). */
export interface ClientChangesTable {
  /** UUIDv7: time-ordered. */
  id: string;
  at: string;
  actor: string;
  client_id: string;
  webhook_id: string | null;
  action: string;
  /** JSON of what changed, or null. */
  details: string | null;
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

export interface ContactsTable {
  party_kind: string;
  party_id: string;
  email: string | null;
  email_confirmed_at: string | null;
  /** SHA-256 of the confirmation token: the token itself is only in the e-mail. */
  confirm_token_hash: string | null;
  confirm_expires_at: string | null;
  language: string | null;
  updated_at: string;
}

export interface NotificationsTable {
  id: string;
  recipient_kind: string;
  recipient_id: string;
  kind: string;
  mandate_id: string | null;
  event_seq: number | null;
  language: string;
  data: string;
  created_at: string;
  read_at: string | null;
  mail_status: string;
  mail_key: string | null;
}

export interface MailMessagesTable {
  key: string;
  message_id: string;
  kind: string;
  recipient_kind: string;
  recipient_id: string;
  to_address: string;
  language: string;
  subject: string;
  text_body: string;
  html_body: string;
  items: number;
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface RemindersSentTable {
  mandate_id: string;
  kind: string;
  anchor: string;
  threshold_days: number;
  version: number;
  created_at: string;
}

export interface NotificationLocksTable {
  name: string;
}

export interface BatchJobsTable {
  id: string;
  /** National number of the person who submitted the job: only they see it. */
  owner: string;
  /** The party the submitter acts for by default (JSON), or null for themself. */
  on_behalf_of: string | null;
  kind: string;
  source: string;
  file_name: string | null;
  /** receiving (being stored, invisible), queued, running, done, cancelled, failed. */
  status: string;
  auth_time: string;
  auth_level: string | null;
  total: number;
  /** Items [0, processed) have an outcome in batch_results. */
  processed: number;
  done: number;
  refused: number;
  skipped: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  /** Failed attempts at the current chunk. */
  failures: number;
  error: string | null;
}

export interface BatchItemsTable {
  job_id: string;
  seq: number;
  /** The spreadsheet row of a CSV item (header = 1), or null for JSON. */
  row_number: number | null;
  /** The physical line of the file where a CSV item starts. */
  line: number | null;
  /** The operation (JSON), or the reason it could not be read. */
  operation: string;
}

export interface BatchResultsTable {
  job_id: string;
  seq: number;
  /** done, refused or skipped. */
  outcome: string;
  mandate_id: string | null;
  related_id: string | null;
  cursor: number | null;
  code: string | null;
  field: string | null;
  message: string | null;
  details: string | null;
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
  registry_head: RegistryHeadTable;
  registry_changes: RegistryChangesTable;
  catalogue_versions: CatalogueVersionsTable;
  signing_keys: SigningKeysTable;
  clients: ClientsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  client_changes: ClientChangesTable;
  feed_cursors: FeedCursorsTable;
  batch_jobs: BatchJobsTable;
  batch_items: BatchItemsTable;
  batch_results: BatchResultsTable;
  contacts: ContactsTable;
  notifications: NotificationsTable;
  mail_messages: MailMessagesTable;
  reminders_sent: RemindersSentTable;
  notification_locks: NotificationLocksTable;
}
