// One conformance suite for the store, run on every dialect against a real database.
import { compactVerify, createLocalJWKSet } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/app/audit.js';
import { createMandate } from '../../src/app/create-mandate.js';
import { amendMandate, signMandate, stopMandate, transferMandate } from '../../src/app/mandate-commands.js';
import type { CommandResult } from '../../src/app/run-command.js';
import { newSigningKey } from '../../src/app/signing-keys.js';
import { replay } from '../../src/core/events.js';
import type { Mandate } from '../../src/core/mandate.js';
import { makeEnterpriseNumber, makeNationalNumber } from '../../src/core/party.js';
import type { KyselyStore } from '../../src/store/kysely-store.js';
import type { Representation } from '../../src/store/port.js';
import type { RegistryChange, RegistryEdit } from '../../src/store/registry-port.js';
import { A, ACME, actorAt, B, C, D, enterprise, person, REP, self, type TestApp, testApp } from '../fixtures/app.js';
import { DIALECTS, type TestDatabase } from '../fixtures/databases.js';

const PIT = 'finance.personal-income-tax';

function ok(result: CommandResult): Mandate {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code} ${result.refusal.message}`);
  return result.mandate;
}

describe.each(DIALECTS)('store on $name', ({ create }) => {
  let db: TestDatabase;
  let app: TestApp;

  const propose = (mandator: string, mandatee: string, validUntil: string | null = null, type = PIT) =>
    createMandate(app, actorAt(app, mandator), person(mandator), {
      type,
      mandator: person(mandator),
      mandatee: person(mandatee),
      validFrom: '2026-12-01',
      validUntil,
    });
  /** A's proposal of a tax mandate to an enterprise (which one of its representatives then signs). */
  const proposeToEnterprise = async (firm: string, validUntil: string | null) =>
    ok(
      await createMandate(app, actorAt(app, A), person(A), {
        type: PIT,
        mandator: person(A),
        mandatee: enterprise(firm),
        validFrom: '2026-12-01',
        validUntil,
      }),
    );
  const signedMandate = async (mandator: string, mandatee: string) => {
    const m = ok(await propose(mandator, mandatee));
    return ok(await signMandate(app, { ...self(app, mandatee), mandateId: m.id }));
  };

  beforeAll(async () => {
    db = await create();
    app = await testApp(db.url);
  });
  afterAll(async () => {
    await app?.store.close();
    await db?.drop();
  });

  it('migrates idempotently', async () => {
    await app.store.migrate();
    await app.store.migrate();
    expect((await app.store.head()).seq).toBeGreaterThanOrEqual(0);
  });

  it('commits events and projection together; the projection equals the replay of the events', async () => {
    const m = await signedMandate(A, B);
    ok(await amendMandate(app, { ...self(app, A), mandateId: m.id }, { validUntil: '2027-06-30' }));
    const stopped = ok(await stopMandate(app, { ...self(app, B), mandateId: m.id }, 'moved abroad'));
    expect(stopped.status).toBe('stopped');
    const events = await app.store.mandateEvents(m.id);
    expect(events.map((e) => e.type)).toEqual(['MandateProposed', 'MandateSigned', 'MandateAmended', 'MandateStopped']);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(await app.store.getMandate(m.id)).toEqual(replay(events));
  });

  it('a refusal writes nothing, and an error inside a transaction rolls everything back', async () => {
    const before = await app.store.head();
    const refused = await propose(A, A);
    expect(refused.ok).toBe(false);
    expect(await app.store.head()).toEqual(before);
    const m = ok(await propose(A, C));
    const after = await app.store.head();
    await expect(
      app.store.write(async (tx) => {
        const current = (await tx.getMandate(m.id)) as Mandate;
        await tx.append([
          {
            type: 'MandateWithdrawn',
            mandateId: m.id,
            version: current.version + 1,
            at: app.now().toISOString(),
            actor: { kind: 'system' },
            onBehalfOf: null,
            data: { role: 'mandator' },
          },
        ]);
        throw new Error('crash after append');
      }),
    ).rejects.toThrow('crash after append');
    expect(await app.store.head()).toEqual(after);
    expect((await app.store.getMandate(m.id))?.status).toBe('pending');
  });

  it('keeps the sequence gapless and the hash chain valid', async () => {
    const result = await verifyAudit(app.store);
    expect(result.ok).toBe(true);
    const events = await app.store.readEvents(0, 10_000);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const page = await app.store.readEvents(2, 2);
    expect(page.map((e) => e.seq)).toEqual([3, 4]);
  });

  const scanAll = async () => {
    const scanned = [];
    for (let after: string | null = null; ; ) {
      const page = await app.store.scanSignedMandates(after, 3);
      scanned.push(...page);
      if (page.length < 3) break;
      after = page.at(-1)?.id ?? null;
    }
    return scanned;
  };

  it('scans the signed mandates as they are, and counts them', async () => {
    for (let i = 0; i < 4; i++) await signedMandate(makeNationalNumber('760606', 60 + i), C);
    await propose(makeNationalNumber('760606', 70), C); // proposed, not signed: not scanned, not counted
    // One with an enterprise for mandatee, so that the two parties' kinds cannot be swapped unseen.
    const firm = makeEnterpriseNumber('07770001');
    const director = makeNationalNumber('760606', 80);
    await app.store.addRepresentatives([{ enterpriseId: firm, personId: director, source: 'test' }]);
    const m = await proposeToEnterprise(firm, '2027-11-30');
    ok(await signMandate(app, { actor: actorAt(app, director), as: enterprise(firm), mandateId: m.id }));
    const scanned = await scanAll();
    expect(scanned.map((s) => s.id)).toContain(m.id);
    for (const record of scanned) {
      const row = (await app.store.getMandate(record.id)) as Mandate;
      expect(row.status).toBe('signed');
      const { id, type, domain, mandator, mandatee, validFrom, validUntil, version } = row;
      expect(record).toEqual({ id, type, domain, mandator, mandatee, validFrom, validUntil, version });
    }
    expect(await app.store.countSignedMandates()).toBe(scanned.length);
  });

  it('scans only what is committed while another caller has a write open', async () => {
    const before = (await scanAll()).map((m) => m.id);
    expect(before.length).toBeGreaterThan(0);
    let opened = () => {};
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writing = (app.store as KyselyStore).db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('mandates').set({ status: 'stopped' }).where('status', '=', 'signed').execute();
        opened();
        await gate;
        throw new Error('rolled back');
      })
      .catch((error: Error) => error.message);
    await open;
    const during = scanAll();
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    expect((await during).map((m) => m.id)).toEqual(before);
    expect(await writing).toBe('rolled back');
  });

  it('lists a party’s mandates with filters and cursor pagination', async () => {
    const mandator = makeNationalNumber('700101', 11);
    for (let i = 0; i < 23; i++) ok(await propose(mandator, makeNationalNumber('800101', 100 + i)));
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await app.store.listMandates({ party: person(mandator), role: 'mandator', limit: 10, after });
      seen.push(...page.items.map((m) => m.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect([...seen].sort().reverse()).toEqual(seen);
    expect((await app.store.listMandates({ party: person(mandator), role: 'mandatee', limit: 50 })).items).toHaveLength(0);
    expect((await app.store.listMandates({ party: person(mandator), status: ['signed'], limit: 50 })).items).toHaveLength(0);
    expect((await app.store.listMandates({ party: person(mandator), status: ['pending'], type: PIT, limit: 50 })).items).toHaveLength(23);
    const one = await app.store.listMandates({
      party: person(mandator),
      counterparty: person(makeNationalNumber('800101', 105)),
      limit: 50,
    });
    expect(one.items).toHaveLength(1);
  });

  it('lets exactly one of many concurrent creates of the same mandate win', async () => {
    const mandator = makeNationalNumber('710202', 22);
    const results = await Promise.all(Array.from({ length: 8 }, () => propose(mandator, B)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const codes = results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.refusal.code));
    expect(codes).toEqual(Array(7).fill('MANDATE_DUPLICATE'));
    expect((await app.store.listMandates({ party: person(mandator), limit: 50 })).items).toHaveLength(1);
  });

  it('lets exactly one of conflicting commands on one mandate win, and keeps the projection consistent', async () => {
    const m = await signedMandate(makeNationalNumber('720303', 33), C);
    const mandator = m.mandator.id;
    const target = (id: string) => ({ ...self(app, id), mandateId: m.id, expectedVersion: m.version });
    const results = await Promise.all([
      stopMandate(app, target(mandator)),
      stopMandate(app, target(C)),
      amendMandate(app, target(C), { validUntil: '2027-01-31' }),
      amendMandate(app, target(mandator), { validUntil: '2028-01-31' }),
      transferMandate(app, target(mandator), person(B)),
      transferMandate(app, target(C), person(A)),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results) if (!r.ok) expect(r.refusal.code).toBe('MANDATE_VERSION_STALE');
    const stored = (await app.store.getMandate(m.id)) as Mandate;
    expect(stored.version).toBe(m.version + 1);
    expect(stored).toEqual(replay(await app.store.mandateEvents(m.id)));

    // Without If-Match the rules still leave one winner: sign and refuse race on a proposal.
    const p = ok(await propose(makeNationalNumber('730404', 44), C));
    const race = await Promise.all([
      signMandate(app, { ...self(app, C), mandateId: p.id }),
      signMandate(app, { ...self(app, C), mandateId: p.id }),
    ]);
    expect(race.filter((r) => r.ok)).toHaveLength(1);
    expect(race.find((r) => !r.ok)).toMatchObject({ refusal: { code: 'MANDATE_ALREADY_SIGNED' } });
  });

  it('records representatives and executors, and lets a representative act for the enterprise', async () => {
    expect(await app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }])).toBe(1);
    expect(await app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }])).toBe(0);
    expect(await app.store.enterprisesRepresentedBy(REP)).toEqual([ACME]);
    await app.store.addExecutors([{ enterpriseId: ACME, personId: C, type: PIT }]);
    expect(await app.store.executorsOf(ACME)).toEqual([{ enterpriseId: ACME, personId: C, type: PIT }]);
    const m = await proposeToEnterprise(ACME, null);
    const signed = ok(await signMandate(app, { actor: actorAt(app, REP), as: enterprise(ACME), mandateId: m.id }));
    expect(signed.status).toBe('signed');
    expect(signed.signatures.at(-1)).toMatchObject({ signer: REP, party: enterprise(ACME), role: 'mandatee' });
    const outsider = await stopMandate(app, { actor: actorAt(app, B), as: enterprise(ACME), mandateId: m.id });
    expect(outsider).toMatchObject({ ok: false, refusal: { code: 'ACTOR_NOT_REPRESENTATIVE' } });
    expect(await app.store.removeRepresentative(ACME, REP)).toBe(true);
    expect(await app.store.enterprisesRepresentedBy(REP)).toEqual([]);
  });

  it('records each change to the registers that took effect, in commit order, and sets executor types exactly', async () => {
    const E = '0417497106';
    const from = await app.store.registry.head();
    const at = '2026-12-01T10:00:00.000Z';
    const added = await app.store.registry.edit(
      [
        { role: 'representative', change: 'added', enterpriseId: E, personId: A, source: 'register' },
        { role: 'representative', change: 'added', enterpriseId: E, personId: A },
        { role: 'representative', change: 'removed', enterpriseId: E, personId: B },
      ],
      'import',
      at,
    );
    // Adding what is there and removing what is not change nothing, and are not recorded.
    expect(added).toEqual([
      { seq: from + 1, at, actor: 'import', role: 'representative', change: 'added', enterpriseId: E, personId: A, type: null },
    ]);
    const set = await app.store.registry.setExecutorTypes(E, C, ['finance.vat', PIT], 'person:test', at);
    expect(set.map((c) => [c.seq, c.change, c.type])).toEqual([
      [from + 2, 'added', 'finance.vat'],
      [from + 3, 'added', PIT],
    ]);
    const narrowed = await app.store.registry.setExecutorTypes(E, C, [PIT], 'person:test', at);
    expect(narrowed.map((c) => [c.change, c.type])).toEqual([['removed', 'finance.vat']]);
    expect(await app.store.registry.setExecutorTypes(E, C, [PIT], 'person:test', at)).toEqual([]);
    expect((await app.store.executorsOf(E)).map((e) => e.type)).toEqual([PIT]);

    // Concurrent writers get distinct positions, and a reader after the last sees every change once, in order.
    const racers = await Promise.all([D, REP, B].map((p) => app.store.registry.setExecutorTypes(E, p, [PIT], `person:${p}`, at)));
    const seqs = racers.flat().map((c) => c.seq);
    expect(new Set(seqs).size).toBe(3);
    const record = await app.store.registry.changesAfter(from, 100);
    expect(record.map((c) => c.seq)).toEqual(Array.from({ length: record.length }, (_, i) => from + 1 + i));
    expect(record).toHaveLength(7);
    expect(await app.store.registry.head()).toBe(from + 7);
  });

  it('applies a bulk edit of the registers in order, across its multi-row statements, recording each change that took effect once', async () => {
    const enterpriseOf = (i: number) => makeEnterpriseNumber(String(6_000_000 + (i % 300)).padStart(8, '0'));
    const personOf = (i: number) => makeNationalNumber('800101', (i % 900) + 1);
    const rep = (change: 'added' | 'removed', i: number): RegistryEdit => ({
      role: 'representative',
      change,
      enterpriseId: enterpriseOf(i),
      personId: personOf(i),
    });
    const exec = (i: number, type: string): RegistryEdit => ({
      role: 'executor',
      change: 'added',
      enterpriseId: enterpriseOf(i),
      personId: personOf(i),
      type,
    });
    // 1,200 additions (i and i + 900 name the same pair: duplicates within and across statements of 500),
    // one pair already held, a removal and a re-addition in the middle, and executors between them.
    await app.store.registry.edit([rep('added', 5)], 'import', '2026-12-01T09:00:00.000Z');
    const edits = [
      ...Array.from({ length: 600 }, (_, i) => rep('added', i)),
      rep('removed', 10),
      exec(1, PIT),
      exec(1, PIT),
      exec(1, 'finance.vat'),
      rep('added', 10),
      rep('removed', 11_111),
      ...Array.from({ length: 600 }, (_, i) => rep('added', 600 + i)),
    ];
    const held = new Set([`representative|${enterpriseOf(5)}|${personOf(5)}|`]);
    const expected: string[] = [];
    for (const e of edits) {
      const key = `${e.role}|${e.enterpriseId}|${e.personId}|${e.role === 'executor' ? e.type : ''}`;
      if (e.change === 'added' ? held.has(key) : !held.has(key)) continue;
      if (e.change === 'added') held.add(key);
      else held.delete(key);
      expected.push(`${e.change} ${key}`);
    }
    const from = await app.store.registry.head();
    const changes = await app.store.registry.edit(edits, 'import', '2026-12-01T10:00:00.000Z');
    expect(changes.map((c) => `${c.change} ${c.role}|${c.enterpriseId}|${c.personId}|${c.type ?? ''}`)).toEqual(expected);
    expect(changes.map((c) => c.seq)).toEqual(expected.map((_, k) => from + 1 + k));
    expect(await app.store.registry.changesAfter(from, 2000)).toEqual(changes);
    // What an application of finance.vat and PIT sees: the changes of enterprises holding mandates of those
    // types (two here: one with executors, one with a representative removed and added again), pages of
    // 250 over windows of 400 positions, each change once.
    const holders = new Set([enterpriseOf(1), enterpriseOf(10)]);
    for (const firm of holders) await proposeToEnterprise(firm, null);
    const visible: RegistryChange[] = [];
    for (let after = from; ; ) {
      const page = await app.store.registry.visibleChangesAfter(after, ['finance.vat', PIT], 250, 400);
      visible.push(...page.changes);
      if (page.scannedTo === after) break;
      after = page.scannedTo;
    }
    const expectedVisible = changes.filter((c) => holders.has(c.enterpriseId) && (c.role === 'representative' || c.type !== null));
    // The oracle covers what matters: executors, and a removal.
    expect(expectedVisible.filter((c) => c.role === 'executor').map((c) => c.type)).toEqual([PIT, 'finance.vat']);
    expect(expectedVisible.some((c) => c.change === 'removed')).toBe(true);
    expect(visible).toEqual(expectedVisible);
    expect((await app.store.registry.visibleChangesAfter(from, ['finance.excise'], 2000, 4000)).changes).toEqual([]);
    // Where to start following one of them: who acts inside it now, and the record's position.
    const snapshot = await app.store.registry.actingPersons(enterpriseOf(1), ['finance.vat', PIT]);
    const repsOf = (firm: string) =>
      [...held]
        .filter((k) => k.startsWith(`representative|${firm}|`))
        .map((k) => k.split('|')[2])
        .sort();
    expect(snapshot).toEqual({
      representatives: repsOf(enterpriseOf(1)),
      executors: [{ person: personOf(1), types: [PIT, 'finance.vat'] }],
      cursor: await app.store.registry.head(),
    });
    expect(snapshot?.representatives.length).toBeGreaterThan(1);
    // Executors of the asked types only; nothing for types it holds no mandate of, or for another enterprise.
    expect((await app.store.registry.actingPersons(enterpriseOf(1), [PIT]))?.executors).toEqual([{ person: personOf(1), types: [PIT] }]);
    expect(await app.store.registry.actingPersons(enterpriseOf(1), ['finance.vat'])).toBeUndefined();
    expect(await app.store.registry.actingPersons(enterpriseOf(2), [PIT])).toBeUndefined();
    const ours = new Set(Array.from({ length: 300 }, (_, i) => enterpriseOf(i)));
    const reps = new Set<string>();
    for (let after: Representation | null = null; ; ) {
      const page = await app.store.scanRepresentatives(after, 500);
      for (const r of page) if (ours.has(r.enterpriseId)) reps.add(`representative|${r.enterpriseId}|${r.personId}|`);
      if (page.length < 500) break;
      after = page[page.length - 1] as Representation;
    }
    expect(reps).toEqual(new Set([...held].filter((k) => k.startsWith('representative|'))));
    expect((await app.store.executorsOf(enterpriseOf(1))).map((e) => e.type).sort()).toEqual(['finance.vat', PIT].sort());
  });

  it('seals every signature with a JWS that verifies with the published keys, also after rotation', async () => {
    const m = await signedMandate(makeNationalNumber('740505', 55), B);
    await app.store.rotateSigningKey(await newSigningKey());
    const keys = await app.store.signingKeys();
    expect(keys.filter((k) => k.retiredAt === null)).toHaveLength(1);
    const jwks = createLocalJWKSet({ keys: keys.map((k) => k.publicJwk) as never });
    for (const s of m.signatures) {
      const { payload } = await compactVerify(s.jws as string, jwks);
      expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
        mandateId: m.id,
        contentHash: m.contentHash,
        signer: s.signer,
      });
    }
  });

  describe('audit verify detects tampering behind the store’s back', () => {
    const raw = () => (app.store as KyselyStore).db;
    const expectProblem = async (problem: string, seq?: number) => {
      const result = await verifyAudit(app.store);
      expect(result).toMatchObject({ ok: false, problem, ...(seq === undefined ? {} : { seq }) });
    };

    it('an altered event', async () => {
      const row = await raw().selectFrom('events').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
      const forged = { ...JSON.parse(row.data), validUntil: '2099-12-31' };
      await raw()
        .updateTable('events')
        .set({ data: JSON.stringify(forged) })
        .where('seq', '=', 3)
        .execute();
      await expectProblem('hash-mismatch', 3);
      await raw().updateTable('events').set({ data: row.data, at: '2026-01-01T00:00:00.000Z' }).where('seq', '=', 3).execute();
      await expectProblem('hash-mismatch', 3);
      await raw().updateTable('events').set({ data: row.data, at: row.at }).where('seq', '=', 3).execute();
      expect((await verifyAudit(app.store)).ok).toBe(true);
    });

    it('a deleted event, in the middle or at the end', async () => {
      const row = await raw().selectFrom('events').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
      await raw().deleteFrom('events').where('seq', '=', 5).execute();
      await expectProblem('sequence-gap', 5);
      await raw().insertInto('events').values(row).execute();
      const head = await app.store.head();
      const last = await raw().selectFrom('events').selectAll().where('seq', '=', head.seq).executeTakeFirstOrThrow();
      await raw().deleteFrom('events').where('seq', '=', head.seq).execute();
      await expectProblem('head-mismatch', head.seq);
      await raw().insertInto('events').values(last).execute();
      expect((await verifyAudit(app.store)).ok).toBe(true);
    });

    it('reordered events', async () => {
      await raw().updateTable('events').set({ seq: -1 }).where('seq', '=', 6).execute();
      await raw().updateTable('events').set({ seq: 6 }).where('seq', '=', 7).execute();
      await raw().updateTable('events').set({ seq: 7 }).where('seq', '=', -1).execute();
      await expectProblem('prev-hash-mismatch', 6);
      await raw().updateTable('events').set({ seq: -1 }).where('seq', '=', 6).execute();
      await raw().updateTable('events').set({ seq: 6 }).where('seq', '=', 7).execute();
      await raw().updateTable('events').set({ seq: 7 }).where('seq', '=', -1).execute();
      expect((await verifyAudit(app.store)).ok).toBe(true);
    });

    it('a projection row changed without an event', async () => {
      const victim = (await app.store.scanMandates(null, 1))[0] as Mandate;
      await raw().updateTable('mandates').set({ valid_until: '2099-12-31' }).where('id', '=', victim.id).execute();
      const result = await verifyAudit(app.store);
      expect(result).toMatchObject({ ok: false, problem: 'projection-mismatch', mandateId: victim.id });
      await sql`update mandates set valid_until = ${victim.validUntil} where id = ${victim.id}`.execute(raw());
      expect((await verifyAudit(app.store)).ok).toBe(true);
    });
  });
});
