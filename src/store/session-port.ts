// What sign-in keeps in the store: server-side sessions, logins waiting for the identity provider's
// answer, and named secrets (the local provider's keys). Ids are stored hashed, never as given out.
export interface SessionRecord {
  idHash: string;
  nationalNumber: string;
  name: string | null;
  /** When the person authenticated at the identity provider (ISO instant). */
  authTime: string;
  acr: string | null;
  createdAt: string;
  lastSeenAt: string;
  /** The absolute end of the session (ISO instant); the idle timeout is the caller's policy. */
  expiresAt: string;
}

export interface PendingLogin {
  idHash: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Same-origin path to return to after sign-in. */
  returnTo: string;
  maxAge: number | null;
  createdAt: string;
  expiresAt: string;
}

export interface SessionStore {
  createSession(session: SessionRecord): Promise<void>;
  findSession(idHash: string): Promise<SessionRecord | undefined>;
  touchSession(idHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(idHash: string): Promise<boolean>;
  /** Removes sessions past their absolute end or idle since before `idleBefore`. */
  deleteExpiredSessions(now: string, idleBefore: string): Promise<number>;
  addPendingLogin(login: PendingLogin): Promise<void>;
  /** Removes and returns a pending login that has not expired; a second take of the same id finds nothing. */
  takePendingLogin(idHash: string, now: string): Promise<PendingLogin | undefined>;
  /** The named secret, made by `make` and stored on first use; concurrent first uses agree on one value. */
  secret(name: string, make: () => Promise<string>): Promise<string>;
}
