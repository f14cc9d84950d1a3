// Every kind of news reaches the right party — never the one who acted — in that party's language,
// through a real SMTP server. A, B, C are people reading nl, fr, de; ACME is an enterprise reading en.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMandate } from '../../src/app/create-mandate.js';
import { lapseDueProposals } from '../../src/app/lapse-proposals.js';
import { amendMandate, refuseMandate, signMandate, stopMandate, transferMandate, withdrawMandate } from '../../src/app/mandate-commands.js';
import type { NotificationWorker } from '../../src/app/notifications/worker.js';
import type { CommandResult } from '../../src/app/run-command.js';
import type { Party } from '../../src/core/party.js';
import { A, ACME, actorAt, B, C, D, enterprise, person, REP, type TestApp, testApp } from '../fixtures/app.js';
import { sqliteDatabase, type TestDatabase } from '../fixtures/databases.js';
import { confirmedContacts, PUBLIC_URL, workerFor } from './fixtures.js';
import { type ReceivedMail, startSmtp, type TestSmtp } from './smtp.js';

const MAIL = { A: 'an@example.be', B: 'benoit@example.be', C: 'claudia@example.be', ACME: 'office@acme.example.be' };

let db: TestDatabase;
let app: TestApp;
let smtp: TestSmtp;
let worker: NotificationWorker;

const as = (id: string, party: Party = person(id)) => ({ actor: actorAt(app, id), as: party });
const ok = (r: CommandResult) => {
  if (!r.ok) throw new Error(`${r.refusal.code}: ${r.refusal.message}`);
  return r;
};
const propose = async (by: string, byParty: Party, mandator: Party, mandatee: Party, type: string, validUntil: string | null = null) =>
  ok(
    await createMandate(app, actorAt(app, by), byParty, {
      type,
      mandator,
      mandatee,
      validFrom: '2026-12-01',
      validUntil,
      reference: `ref-${type}`,
    }),
  ).mandate;

/** Runs a worker round and returns what each address received in it. */
async function deliver(): Promise<Record<keyof typeof MAIL, ReceivedMail[]>> {
  smtp.clear();
  await worker.runOnce();
  return { A: smtp.to(MAIL.A), B: smtp.to(MAIL.B), C: smtp.to(MAIL.C), ACME: smtp.to(MAIL.ACME) };
}

function expectOne(mails: ReceivedMail[], lang: string, subject: string, ...phrases: string[]) {
  expect(mails.map((m) => m.subject)).toEqual([`${{ nl: 'Mandaten', fr: 'Mandats', de: 'Mandate', en: 'Mandates' }[lang]}: ${subject}`]);
  const mail = mails[0] as ReceivedMail;
  expect(mail.headers.get('content-language')).toBe(lang);
  expect(mail.html).toContain(`<html lang="${lang}">`);
  for (const p of phrases) {
    expect(mail.text).toContain(p);
  }
  return mail;
}

beforeAll(async () => {
  db = sqliteDatabase();
  app = await testApp(db.url);
  smtp = await startSmtp();
  worker = workerFor(app, smtp);
  await app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  await confirmedContacts(app, smtp, worker, [
    { party: person(A), email: MAIL.A, language: 'nl', by: A },
    { party: person(B), email: MAIL.B, language: 'fr', by: B },
    { party: person(C), email: MAIL.C, language: 'de', by: C },
    { party: enterprise(ACME), email: MAIL.ACME, language: 'en', by: REP },
  ]);
});
afterAll(async () => {
  await worker?.stop();
  await smtp?.close();
  await app?.store.close();
  await db?.drop();
});
beforeEach(() => smtp.clear());

describe('news of a proposal', () => {
  it('a proposal waits for your signature; your proposal was signed', async () => {
    const m = await propose(A, person(A), person(A), person(B), 'finance.personal-income-tax');
    let got = await deliver();
    expectOne(
      got.B,
      'fr',
      `En attente de votre signature – Impôt des personnes physiques (Tax-on-web)`,
      'demande votre signature',
      'ref-finance',
    );
    expect(got.A).toEqual([]);
    expect(got.B[0]?.text).toContain(`${PUBLIC_URL}/mandates/${m.id}`);
    // Mail masks national numbers: only the last four digits show.
    expect(got.B[0]?.raw).not.toContain(A);

    ok(await signMandate(app, { ...as(B), mandateId: m.id }));
    got = await deliver();
    expectOne(
      got.A,
      'nl',
      'Ondertekend – Personenbelasting (Tax-on-web)',
      'heeft het mandaat „Personenbelasting (Tax-on-web)” ondertekend',
    );
    expect(got.B).toEqual([]);
  });

  it('your proposal was refused (with the reason) or withdrawn', async () => {
    const refused = await propose(A, person(A), person(A), person(C), 'finance.myminfin');
    expectOne(
      (await deliver()).C,
      'de',
      'Wartet auf Ihre Unterschrift – Einsicht in die Steuerakte (MyMinfin)',
      'bittet um Ihre Unterschrift',
    );
    ok(await refuseMandate(app, { ...as(C), mandateId: refused.id }, 'kenne ich nicht'));
    const got = await deliver();
    expectOne(got.A, 'nl', 'Geweigerd – Fiscaal dossier raadplegen (MyMinfin)', 'geweigerd. Reden: kenne ich nicht');
    expect(got.C).toEqual([]);

    const withdrawn = await propose(A, person(A), person(A), enterprise(ACME), 'finance.e-depo');
    expectOne((await deliver()).ACME, 'en', 'Waiting for your signature – Document deposit (e-DEPO)', 'asks for your signature');
    ok(await withdrawMandate(app, { ...as(A), mandateId: withdrawn.id }));
    expectOne((await deliver()).ACME, 'en', 'Withdrawn – Document deposit (e-DEPO)', 'you no longer need to sign it');
  });

  it('reminds the missing signer before the proposal lapses, then tells the proposer it lapsed', async () => {
    const m = await propose(B, person(B), person(B), person(C), 'flanders.energy-premium');
    expect((await deliver()).C).toHaveLength(1);
    app.advance(23, 60_000);
    let got = await deliver();
    expectOne(got.C, 'de', 'Vorschlag verfällt bald – Energieprämien', 'verfällt am');
    expect(got.B).toEqual([]);
    expect((await deliver()).C).toEqual([]);
    app.advance(7);
    expect(await lapseDueProposals(app)).toBeGreaterThanOrEqual(1);
    got = await deliver();
    expectOne(got.B, 'fr', 'Proposition caduque – Primes énergie', 'est devenue caduque');
    expect(got.C).toEqual([]);
    expect((await app.store.getMandate(m.id))?.status).toBe('lapsed');
    app.clock.now = new Date('2026-12-01T10:00:00.000Z');
  });
});

describe('news of a signed mandate', () => {
  it('the other party amended it, proposed a change, accepted, refused or withdrew it, stopped it', async () => {
    const m = await propose(A, person(A), person(A), person(B), 'flanders.study-grants', '2027-12-31');
    await deliver();
    ok(await signMandate(app, { ...as(B), mandateId: m.id }));
    await deliver();

    ok(await amendMandate(app, { ...as(A), mandateId: m.id }, { validUntil: '2027-06-30' }));
    expectOne((await deliver()).B, 'fr', "Modifié – Allocations d'études", 'a raccourci la validité', 'au 30 juin 2027');

    ok(await amendMandate(app, { ...as(B), mandateId: m.id }, { validUntil: '2028-06-30' }));
    expectOne((await deliver()).A, 'nl', 'Wijziging wacht op uw handtekening – Studietoelagen', 'tot en met 30 juni 2028');
    ok(await refuseMandate(app, { ...as(A), mandateId: m.id }));
    expectOne((await deliver()).B, 'fr', "Modification refusée – Allocations d'études", 'la validité actuelle est maintenue');

    ok(await amendMandate(app, { ...as(B), mandateId: m.id }, { validUntil: '2028-06-30' }));
    await deliver();
    ok(await withdrawMandate(app, { ...as(B), mandateId: m.id }));
    expectOne((await deliver()).A, 'nl', 'Wijziging ingetrokken – Studietoelagen', 'ingetrokken');

    ok(await amendMandate(app, { ...as(B), mandateId: m.id }, { validUntil: '2028-06-30' }));
    await deliver();
    ok(await signMandate(app, { ...as(A), mandateId: m.id }));
    expectOne((await deliver()).B, 'fr', "Modification acceptée – Allocations d'études", 'au 30 juin 2028');

    ok(await stopMandate(app, { ...as(B), mandateId: m.id }, 'plus nécessaire'));
    const got = await deliver();
    expectOne(got.A, 'nl', 'Stopgezet – Studietoelagen', 'Het geldt niet meer. Reden: plus nécessaire');
    expect(got.B).toEqual([]);
  });

  it('the other party proposes a transfer; the transfer completed (the enterprise, through its contact address)', async () => {
    const m = await propose(C, person(C), person(C), enterprise(ACME), 'finance.non-resident-income-tax');
    await deliver();
    ok(await signMandate(app, { actor: actorAt(app, REP), as: enterprise(ACME), mandateId: m.id }));
    expectOne((await deliver()).C, 'de', 'Unterzeichnet – Steuer der Gebietsfremden (Tax-on-web)', 'hat das Mandat');

    const transfer = ok(await transferMandate(app, { ...as(C), mandateId: m.id }, person(B)));
    let got = await deliver();
    expectOne(
      got.ACME,
      'en',
      'Transfer proposed – Non-resident income tax (Tax-on-web)',
      'proposes to transfer',
      'person (national number',
    );
    expectOne(got.B, 'fr', 'Transfert en attente de votre signature – Impôt des non-résidents (Tax-on-web)', 'est transféré à');
    expect(got.C).toEqual([]);

    const successor = transfer.related[0]?.id as string;
    ok(await signMandate(app, { ...as(B), mandateId: successor }));
    got = await deliver();
    expectOne(got.ACME, 'en', 'Transfer completed – Non-resident income tax (Tax-on-web)', 'was transferred to');
    // Told once: the completed transfer, not also "your successor proposal was signed".
    expectOne(got.C, 'de', 'Übertragung abgeschlossen – Steuer der Gebietsfremden (Tax-on-web)', 'übertragen');
    expect(got.B).toEqual([]);
  });

  it('a transfer called off: the new mandatee refused', async () => {
    const m = await propose(C, person(C), person(C), enterprise(ACME), 'finance.personal-income-tax');
    ok(await signMandate(app, { actor: actorAt(app, REP), as: enterprise(ACME), mandateId: m.id }));
    const transfer = ok(await transferMandate(app, { ...as(C), mandateId: m.id }, person(A)));
    await deliver();
    ok(await refuseMandate(app, { ...as(A), mandateId: transfer.related[0]?.id as string }));
    const got = await deliver();
    expectOne(got.C, 'de', 'Abgelehnt – Steuer der natürlichen Personen (Tax-on-web)', 'abgelehnt');
    expectOne(got.ACME, 'en', 'Transfer called off – Personal income tax (Tax-on-web)', 'will not happen');
    expect(got.A).toEqual([]);
  });

  it('both parties are reminded when a limited mandate ends in 60 days', async () => {
    const m = await propose(B, person(B), person(B), person(A), 'flanders.service-vouchers', '2027-01-30');
    await deliver();
    ok(await signMandate(app, { ...as(A), mandateId: m.id }));
    const got = await deliver();
    expectOne(got.A, 'nl', 'Loopt binnenkort af – Dienstencheques', 'loopt af op 30 januari 2027 (over 60 dagen)', 'verlengen');
    // B got both news at once: one digest with the signature and the reminder.
    expect(got.B.map((mail) => mail.subject)).toEqual(['Mandats: 2 notifications concernant vos mandats']);
    expect(got.B[0]?.text).toContain('Signé (1)');
    expect(got.B[0]?.text).toContain('Bientôt échu (1)');
    expect(got.B[0]?.text).toContain('prend fin le 30 janvier 2027 (dans 60 jours)');
    // Once per threshold: the next rounds remind nobody again.
    expect((await deliver()).A).toEqual([]);
  });

  it('a party without a confirmed address gets nothing by mail, but sees it in the inbox', async () => {
    const m = await propose(D, person(D), person(D), person(A), 'flanders.study-grants');
    ok(await signMandate(app, { ...as(A), mandateId: m.id }));
    expect(smtp.received).toEqual([]);
    await deliver();
    expect(smtp.received.filter((mail) => mail.envelopeTo.includes(MAIL.A))).toHaveLength(1);
    expect(smtp.received.every((mail) => Object.values(MAIL).some((a) => mail.envelopeTo.includes(a)))).toBe(true);
    const inbox = await app.store.notifications.inbox(person(D), { limit: 10 });
    expect(inbox.items.map((n) => [n.kind, n.mailStatus])).toEqual([['proposal-signed', 'none']]);
  });
});
