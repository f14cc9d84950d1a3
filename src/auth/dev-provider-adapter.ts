// Where the local identity provider keeps codes, interactions, grants and its own sessions: in this
// process's memory. A restart forgets them (someone halfway through signing in starts again; issued
// JWT access tokens stay valid, they are checked by signature), which is fine for a development tool.
interface Entry {
  payload: Record<string, unknown>;
  expiresAt: number;
}

/** Kinds of artefact that belong to a grant and die with it when a code is replayed. */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/** One adapter instance per model name, as oidc-provider creates them; entries are shared per provider. */
export function memoryAdapter() {
  const entries = new Map<string, Entry>();
  /** Secondary indexes: value → entry key. */
  const byUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();
  const byGrant = new Map<string, Set<string>>();

  let writes = 0;
  /** Drops what has expired now and then, so a long-running demo does not grow without bound. */
  const sweep = () => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    for (const [grantId, members] of byGrant) {
      for (const key of members) if (!entries.has(key)) members.delete(key);
      if (members.size === 0) byGrant.delete(grantId);
    }
    for (const index of [byUid, byUserCode]) for (const [value, key] of index) if (!entries.has(key)) index.delete(value);
  };

  const live = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };

  return class MemoryAdapter {
    constructor(private readonly model: string) {}

    private key(id: string) {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number) {
      writes += 1;
      if (writes % 1000 === 0) sweep();
      const key = this.key(id);
      entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY });
      if (typeof payload.uid === 'string') byUid.set(payload.uid, key);
      if (typeof payload.userCode === 'string') byUserCode.set(payload.userCode, key);
      if (GRANTABLE.has(this.model) && typeof payload.grantId === 'string') {
        const members = byGrant.get(payload.grantId) ?? new Set<string>();
        members.add(key);
        byGrant.set(payload.grantId, members);
      }
    }

    async find(id: string) {
      return live(this.key(id));
    }

    async findByUid(uid: string) {
      const key = byUid.get(uid);
      return key === undefined ? undefined : live(key);
    }

    async findByUserCode(userCode: string) {
      const key = byUserCode.get(userCode);
      return key === undefined ? undefined : live(key);
    }

    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string) {
      entries.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string) {
      for (const key of byGrant.get(grantId) ?? []) entries.delete(key);
      byGrant.delete(grantId);
    }
  };
}
