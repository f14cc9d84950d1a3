// The HTTP side, black-box against a started server: contact details and the confirmation link,
// the inbox, renewal, the PDF proof in each language, and the development mail sink.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NotificationWorker, notificationWorkerFor } from '../../src/app/notifications/worker.js';
import { makeEnterpriseNumber, makeNationalNumber } from '../../src/core/party.js';
import { startServer } from '../fixtures/server.js';
import { expectProblem, httpClient } from '../http/client.js';
import { pdfEntry, pdfText } from './pdf-text.js';
import { startSmtp, type TestSmtp } from './smtp.js';

const A = makeNationalNumber('850730', 33);
const B = makeNationalNumber('900115', 123);
const C = makeNationalNumber('771231', 456);
const REP = makeNationalNumber('650420', 789);
const ACME = makeEnterpriseNumber('04031707');
const person = (id: string) => ({ kind: 'person', id });
const enterprise = (id: string) => ({ kind: 'enterprise', id });
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date());
const inDays = (n: number) => new Date(Date.parse(`${today()}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

let server: Awaited<ReturnType<typeof startServer>>;
let call: ReturnType<typeof httpClient>;
let smtp: TestSmtp;
let worker: NotificationWorker;
const tokens: Record<string, string> = {};

async function propose(by: string, body: Record<string, unknown>) {
  const answer = await call('POST', '/api/v1/mandates', { token: tokens[by], body: { validFrom: today(), ...body } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.mandate as { id: string; version: number };
}

async function signedMandate(mandator: string, mandatee: string, body: Record<string, unknown>) {
  const m = await propose(mandator, { mandator: person(mandator), mandatee: person(mandatee), ...body });
  const signed = await call('POST', `/api/v1/mandates/${m.id}/sign`, { token: tokens[mandatee], ifMatch: '"v1"', body: {} });
  expect(signed.status).toBe(200);
  return signed.body.mandate as { id: string; version: number; signatures: { jws: string }[] };
}

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ env: { SSM_SMTP_URL: smtp.url, SSM_DIGEST_WINDOW_SECONDS: '0', SSM_RATE_LIMIT: '100000' } });
  call = httpClient(server.url);
  worker = notificationWorkerFor(server.app, server.config);
  await server.app.store.addRepresentatives([{ enterpriseId: ACME, personId: REP, source: 'test' }]);
  for (const p of [A, B, C, REP]) tokens[p] = await server.tokenFor(p);
});
afterAll(async () => {
  await worker?.stop();
  await server?.close();
  await smtp?.close();
});

describe('contact details', () => {
  it('a new address gets a confirmation link and nothing else until it is confirmed', async () => {
    const empty = await call('GET', '/api/v1/contact', { token: tokens[A] });
    expect(empty.body).toEqual({ party: person(A), email: null, emailConfirmed: false, confirmationPendingUntil: null, language: null });
    expectProblem(
      await call('PUT', '/api/v1/contact', { token: tokens[A], body: { email: 'not an address' } }),
      400,
      'EMAIL_INVALID',
      'email',
    );

    const set = await call('PUT', '/api/v1/contact', { token: tokens[A], body: { email: 'an@example.be', language: 'fr' } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ email: 'an@example.be', emailConfirmed: false, language: 'fr' });
    expect(Date.parse(set.body.confirmationPendingUntil)).toBeGreaterThan(Date.now() + 71 * 3_600_000);

    // News arrives before the address is confirmed: it stays in the inbox only.
    await propose(B, { type: 'finance.personal-income-tax', mandator: person(B), mandatee: person(A) });
    await worker.runOnce();
    expect(smtp.received.map((m) => [m.envelopeTo, m.subject])).toEqual([
      [['an@example.be'], 'Mandats: Confirmez votre adresse e-mail pour vos mandats'],
    ]);
    const link = smtp.received[0]?.text.match(/https?:\/\/\S+\/api\/v1\/contact\/confirm\?token=[\w-]+/)?.[0] as string;
    expect(link.startsWith(`${server.url}/api/v1/contact/confirm?token=`)).toBe(true);
    const [outbox] = await server.app.store.notifications.listMessages({ limit: 1 });
    expect(outbox).toMatchObject({ kind: 'confirmation', status: 'sent', text: '' });

    const page = await fetch(link, { headers: { accept: 'text/html', 'accept-language': 'fr-BE,fr;q=0.9' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Adresse e-mail confirmée');
    const used = await fetch(link, { headers: { accept: 'text/html', 'accept-language': 'fr-BE,fr;q=0.9' } });
    expect(used.status).toBe(404);
    expect(await used.text()).toContain('Ce lien ne fonctionne pas');
    expectProblem(await call('GET', '/api/v1/contact/confirm?token=abcdefghijklmnopqrstuvwxyz'), 404, 'CONFIRMATION_INVALID', 'token');

    const confirmed = await call('GET', '/api/v1/contact', { token: tokens[A] });
    expect(confirmed.body).toMatchObject({ email: 'an@example.be', emailConfirmed: true, confirmationPendingUntil: null });

    smtp.clear();
    await propose(C, { type: 'finance.myminfin', mandator: person(C), mandatee: person(A) });
    await worker.runOnce();
    expect(smtp.received.map((m) => m.subject)).toEqual([
      'Mandats: En attente de votre signature – Consultation du dossier fiscal (MyMinfin)',
    ]);

    // Changing the language alone keeps the confirmed address.
    const lang = await call('PUT', '/api/v1/contact', { token: tokens[A], body: { language: null } });
    expect(lang.body).toMatchObject({ email: 'an@example.be', emailConfirmed: true, language: null });
  });

  it('for an enterprise: its representatives only', async () => {
    const set = await call('PUT', `/api/v1/contact?party=${ACME}`, {
      token: tokens[REP],
      body: { email: 'office@acme.example.be', language: 'en' },
    });
    expect(set.body).toMatchObject({ party: enterprise(ACME), email: 'office@acme.example.be', emailConfirmed: false });
    expectProblem(await call('GET', `/api/v1/contact?party=${ACME}`, { token: tokens[C] }), 403, 'ACTOR_NOT_REPRESENTATIVE', 'party');
    expectProblem(
      await call('PUT', `/api/v1/contact?party=${ACME}`, { token: tokens[C], body: { email: 'x@evil.example' } }),
      403,
      'ACTOR_NOT_REPRESENTATIVE',
    );
    expectProblem(await call('GET', '/api/v1/contact?party=0403170700', { token: tokens[REP] }), 400, 'IDENTIFIER_CHECK_DIGIT', 'party');
    expect((await call('GET', '/api/v1/contact')).status).toBe(401);
  });
});

describe('the inbox', () => {
  it('lists my notifications with the unread count, pages, and marks some or all read', async () => {
    const first = await call('GET', '/api/v1/inbox?limit=1&lang=nl', { token: tokens[A] });
    expect(first.status).toBe(200);
    expect(first.body.unread).toBe(2);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.items[0]).toMatchObject({ kind: 'proposal-awaits-signature', read: false, title: 'Wacht op uw handtekening' });
    expect(first.body.items[0].text).toContain('vraagt uw handtekening voor het mandaat „Fiscaal dossier raadplegen (MyMinfin)”');
    const second = await call('GET', `/api/v1/inbox?limit=1&cursor=${first.body.next}`, { token: tokens[A] });
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect(second.body.next).toBeNull();

    const one = await call('POST', '/api/v1/inbox/read', { token: tokens[A], body: { ids: [first.body.items[0].id] } });
    expect(one.body).toEqual({ marked: 1, unread: 1 });
    const unread = await call('GET', '/api/v1/inbox?unread=true', { token: tokens[A] });
    expect(unread.body.items.map((i: { id: string }) => i.id)).toEqual([second.body.items[0].id]);
    expect((await call('POST', '/api/v1/inbox/read', { token: tokens[A], body: { all: true } })).body).toEqual({ marked: 1, unread: 0 });
    expectProblem(await call('POST', '/api/v1/inbox/read', { token: tokens[A], body: {} }), 400, 'REQUEST_INVALID', 'ids');
    // Someone else's notification ids change nothing.
    expect((await call('POST', '/api/v1/inbox/read', { token: tokens[C], body: { ids: [second.body.items[0].id] } })).body.marked).toBe(0);
  });

  it("shows an enterprise's notifications to its representatives", async () => {
    await propose(B, { type: 'finance.personal-income-tax', mandator: person(B), mandatee: enterprise(ACME) });
    const inbox = await call('GET', `/api/v1/inbox?party=${ACME}`, { token: tokens[REP] });
    expect(inbox.body).toMatchObject({ party: enterprise(ACME), unread: 1 });
    expect(inbox.body.items[0].text).toContain('asks for your signature');
    expectProblem(await call('GET', `/api/v1/inbox?party=${ACME}`, { token: tokens[C] }), 403, 'ACTOR_NOT_REPRESENTATIVE');
  });
});

describe('renewal', () => {
  it('POST /mandates/{id}/renew makes a successor proposal signed by the caller', async () => {
    const m = await signedMandate(A, B, { type: 'flanders.service-vouchers', validUntil: inDays(29) });
    expectProblem(await call('POST', `/api/v1/mandates/${m.id}/renew`, { token: tokens[A], body: {} }), 428, 'PRECONDITION_REQUIRED');
    expectProblem(
      await call('POST', `/api/v1/mandates/${m.id}/renew`, { token: tokens[C], ifMatch: '"v2"', body: {} }),
      404,
      'MANDATE_NOT_FOUND',
    );
    const renewed = await call('POST', `/api/v1/mandates/${m.id}/renew`, { token: tokens[A], ifMatch: '"v2"', body: {} });
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(201);
    expect(renewed.headers.get('location')).toBe(`/api/v1/mandates/${renewed.body.mandate.id}`);
    expect(renewed.body.mandate).toMatchObject({ status: 'pending', validFrom: inDays(30), waitingFor: ['mandatee'] });

    const unlimited = await signedMandate(A, B, { type: 'finance.e-depo', validUntil: null });
    expectProblem(
      await call('POST', `/api/v1/mandates/${unlimited.id}/renew`, { token: tokens[B], ifMatch: '"v2"', body: {} }),
      422,
      'RENEWAL_UNLIMITED',
    );
  });
});

describe('the PDF proof', () => {
  let mandate: { id: string; version: number; signatures: { jws: string }[] };
  beforeAll(async () => {
    mandate = await signedMandate(B, A, { type: 'flanders.energy-premium', validUntil: '2027-10-31', reference: 'dossier 2027/11' });
  });

  it.each([
    [
      'nl',
      'nl-BE',
      'Bewijs van mandaat',
      'Energiepremies',
      'tot en met 31 oktober 2027',
      'Zo controleert u de handtekeningen',
      'ondertekend door beide partijen',
    ],
    [
      'fr',
      'fr-BE',
      'Preuve de mandat',
      'Primes énergie',
      'au 31 octobre 2027',
      'Comment vérifier les signatures',
      'signé par les deux parties',
    ],
    [
      'de',
      'de-BE',
      'Nachweis eines Mandats',
      'Energieprämien',
      'bis 31. Oktober 2027',
      'So prüfen Sie die Unterschriften',
      'von beiden Parteien unterzeichnet',
    ],
    ['en', 'en-GB', 'Proof of mandate', 'Energy premiums', 'to 31 October 2027', 'How to verify the signatures', 'signed by both parties'],
  ])('opens and says the right things in %s', async (lang, locale, title, typeLabel, validity, verifyTitle, status) => {
    const response = await fetch(`${server.url}/api/v1/mandates/${mandate.id}/proof.pdf?lang=${lang}`, {
      headers: { authorization: `Bearer ${tokens[A]}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toContain('%%EOF');
    expect(pdfEntry(pdf, 'Lang')).toBe(locale);
    expect(pdfEntry(pdf, 'Title')).toBe(`${title}: ${typeLabel}`);
    const latin = pdf.toString('latin1');
    expect(latin).toContain('/StructTreeRoot');
    expect(latin).toMatch(/\/Marked true/);
    expect(latin).toContain('/DisplayDocTitle true');

    const text = pdfText(pdf);
    for (const expected of [
      title,
      typeLabel,
      validity,
      verifyTitle,
      status,
      'dossier 2027/11',
      mandate.id,
      `${server.url}/.well-known/jwks.json`,
    ]) {
      expect(text).toContain(expected);
    }
    // Parties in full for the parties themselves, and each signature's JWS, wrapped.
    expect(text).toContain('85.07.30-033.28');
    expect(text).toContain('90.01.15-123');
    const jws = mandate.signatures[1]?.jws as string;
    expect(text.replace(/ /g, '')).toContain(jws);
  });

  it('is for the parties only', async () => {
    const outsider = await call('GET', `/api/v1/mandates/${mandate.id}/proof.pdf`, { token: tokens[C] });
    expectProblem(outsider, 404, 'MANDATE_NOT_FOUND');
    expect((await call('GET', `/api/v1/mandates/${mandate.id}/proof.pdf`)).status).toBe(401);
    const defaulted = await fetch(`${server.url}/api/v1/mandates/${mandate.id}/proof.pdf`, {
      headers: { authorization: `Bearer ${tokens[B]}` },
    });
    expect(defaulted.headers.get('content-disposition')).toBe(`inline; filename="mandate-${mandate.id}-nl.pdf"`);
  });
});

describe('the development mail sink', () => {
  it('without SSM_SMTP_URL mail goes to .eml files, listed at /api/v1/dev/mail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssm-mail-'));
    const demo = await startServer({ env: { SSM_MAIL_DIR: dir, SSM_DIGEST_WINDOW_SECONDS: '0' } });
    const demoWorker = notificationWorkerFor(demo.app, demo.config);
    try {
      const token = await demo.tokenFor(C);
      expect(
        (await httpClient(demo.url)('PUT', '/api/v1/contact', { token, body: { email: 'claudia@example.be', language: 'de' } })).status,
      ).toBe(200);
      expect((await demoWorker.runOnce()).sent).toBe(1);
      expect(readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
      const listed = await httpClient(demo.url)('GET', '/api/v1/dev/mail');
      expect(listed.body.transport).toBe('sink');
      expect(listed.body.items).toMatchObject([
        { to: 'claudia@example.be', subject: 'Mandate: Bestätigen Sie Ihre E-Mail-Adresse für Ihre Mandate' },
      ]);
      const raw = await fetch(`${demo.url}/api/v1/dev/mail/${listed.body.items[0].file}`);
      expect(await raw.text()).toContain(`Message-ID: ${listed.body.items[0].messageId}`);
      expect((await fetch(`${demo.url}/api/v1/dev/mail/..%2Fssm.db`)).status).toBe(404);
    } finally {
      await demoWorker.stop();
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
