// Who is calling: a person (signed in through OpenID Connect, by session cookie or bearer token)
// or a business application (client credentials of one domain). Set by the auth plugins; routes read it.
export interface PersonPrincipal {
  kind: 'person';
  /** National number, digits only. */
  nationalNumber: string;
  /** When the person last authenticated at the identity provider (ISO instant): signing needs it recent. */
  authTime: string;
  /** Assurance level reported by the identity provider (e.g. `eid`, `itsme`), if any. */
  authLevel: string | null;
  via: 'session' | 'bearer';
  /** The server-side session, for cookie sessions. */
  sessionId?: string;
}

export interface ClientPrincipal {
  kind: 'client';
  clientId: string;
  name: string;
  /** The one domain this business application may see. */
  domain: string;
  /** The types it may see, or null for every type of its domain. */
  types: string[] | null;
}

export type Principal = PersonPrincipal | ClientPrincipal;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}
