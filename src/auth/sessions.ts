// Server-side sessions: the cookie holds 256 random bits, the store only their hash. A session ends
// after 30 minutes without use or 12 hours after sign-in, whichever comes first, or at logout.
import { createHash, randomBytes } from 'node:crypto';
import type { PendingLogin, SessionRecord, SessionStore } from '../store/session-port.js';

export const SESSION_COOKIE = 'ssm_session';
export const LOGIN_COOKIE = 'ssm_login';
export const IDLE_TIMEOUT_MS = 30 * 60_000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 3_600_000;
/** How long a person has to finish signing in at the identity provider. */
export const PENDING_LOGIN_MS = 10 * 60_000;
/** Last use is written at most this often, so a busy session does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export const newSecretId = () => randomBytes(32).toString('base64url');
export const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

/** Who signed in, as the identity provider said. */
export interface SignedInPerson {
  nationalNumber: string;
  name: string | null;
  /** ISO instant of the authentication at the identity provider. */
  authTime: string;
  acr: string | null;
}

export interface LoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  maxAge: number | null;
}

export class Sessions {
  constructor(
    private readonly store: SessionStore,
    private readonly now: () => Date,
  ) {}

  /** Starts a session and returns the id to put in the cookie (the only place it exists). */
  async start(person: SignedInPerson): Promise<{ id: string; session: SessionRecord }> {
    const now = this.now();
    await this.store.deleteExpiredSessions(now.toISOString(), new Date(now.getTime() - IDLE_TIMEOUT_MS).toISOString());
    const id = newSecretId();
    const session: SessionRecord = {
      idHash: hashId(id),
      nationalNumber: person.nationalNumber,
      name: person.name,
      authTime: person.authTime,
      acr: person.acr,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ABSOLUTE_TIMEOUT_MS).toISOString(),
    };
    await this.store.createSession(session);
    return { id, session };
  }

  /** The live session of a cookie value, its last use recorded; undefined (and removed) when it has ended. */
  async resolve(id: string): Promise<SessionRecord | undefined> {
    if (!/^[\w-]{43}$/.test(id)) return undefined;
    const idHash = hashId(id);
    const session = await this.store.findSession(idHash);
    if (!session) return undefined;
    const now = this.now().getTime();
    const lastSeen = Date.parse(session.lastSeenAt);
    if (now >= Date.parse(session.expiresAt) || now - lastSeen >= IDLE_TIMEOUT_MS) {
      await this.store.deleteSession(idHash);
      return undefined;
    }
    if (now - lastSeen >= TOUCH_EVERY_MS) {
      const lastSeenAt = new Date(now).toISOString();
      await this.store.touchSession(idHash, lastSeenAt);
      return { ...session, lastSeenAt };
    }
    return session;
  }

  async end(id: string): Promise<boolean> {
    return this.store.deleteSession(hashId(id));
  }

  /** Remembers a sign-in on its way to the identity provider; returns the id for the login cookie. */
  async beginLogin(checks: LoginChecks): Promise<string> {
    const now = this.now();
    const id = newSecretId();
    await this.store.addPendingLogin({
      idHash: hashId(id),
      ...checks,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + PENDING_LOGIN_MS).toISOString(),
    });
    return id;
  }

  /** The pending sign-in of a login cookie, usable once. */
  async takeLogin(id: string): Promise<PendingLogin | undefined> {
    if (!/^[\w-]{43}$/.test(id)) return undefined;
    return this.store.takePendingLogin(hashId(id), this.now().toISOString());
  }
}
