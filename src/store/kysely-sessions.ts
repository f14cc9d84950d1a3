// The SessionStore over Kysely, the same SQL on SQLite and PostgreSQL.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { PendingLogin, SessionRecord, SessionStore } from './session-port.js';

export class KyselySessions implements SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createSession(s: SessionRecord) {
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: s.idHash,
        national_number: s.nationalNumber,
        name: s.name,
        auth_time: s.authTime,
        acr: s.acr,
        created_at: s.createdAt,
        last_seen_at: s.lastSeenAt,
        expires_at: s.expiresAt,
      })
      .execute();
  }

  async findSession(idHash: string): Promise<SessionRecord | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (!row) return undefined;
    return {
      idHash: row.id_hash,
      nationalNumber: row.national_number,
      name: row.name,
      authTime: row.auth_time,
      acr: row.acr,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
    };
  }

  async touchSession(idHash: string, lastSeenAt: string) {
    await this.db.updateTable('sessions').set({ last_seen_at: lastSeenAt }).where('id_hash', '=', idHash).execute();
  }

  async deleteSession(idHash: string) {
    const result = await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteExpiredSessions(now: string, idleBefore: string) {
    const result = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
      .executeTakeFirst();
    await this.db.deleteFrom('pending_logins').where('expires_at', '<=', now).execute();
    return Number(result.numDeletedRows);
  }

  async addPendingLogin(p: PendingLogin) {
    await this.db
      .insertInto('pending_logins')
      .values({
        id_hash: p.idHash,
        state: p.state,
        nonce: p.nonce,
        code_verifier: p.codeVerifier,
        return_to: p.returnTo,
        max_age: p.maxAge,
        created_at: p.createdAt,
        expires_at: p.expiresAt,
      })
      .execute();
  }

  async takePendingLogin(idHash: string, now: string): Promise<PendingLogin | undefined> {
    const row = await this.db.selectFrom('pending_logins').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (!row) return undefined;
    // Whoever deletes the row owns the login: a second, concurrent take finds nothing to delete.
    const deleted = await this.db.deleteFrom('pending_logins').where('id_hash', '=', idHash).executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1 || row.expires_at <= now) return undefined;
    return {
      idHash: row.id_hash,
      state: row.state,
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
      returnTo: row.return_to,
      maxAge: row.max_age === null ? null : Number(row.max_age),
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  async secret(name: string, make: () => Promise<string>) {
    const existing = await this.db.selectFrom('auth_secrets').select('value').where('name', '=', name).executeTakeFirst();
    if (existing) return existing.value;
    await this.db
      .insertInto('auth_secrets')
      .values({ name, value: await make(), created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const stored = await this.db.selectFrom('auth_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
    return stored.value;
  }
}
