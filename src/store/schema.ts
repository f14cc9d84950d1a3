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

export interface Database {
  events: EventsTable;
  mandates: MandatesTable;
  chain_head: ChainHeadTable;
  representatives: RepresentativesTable;
  executors: ExecutorsTable;
  catalogue_versions: CatalogueVersionsTable;
  signing_keys: SigningKeysTable;
}
